import { useTranslation } from 'react-i18next';
import { planLanguage } from '../../i18n/detect';
import { Link, useParams } from 'react-router';
import { ErrorNotice } from '../../components/ui/error-notice';
import { Loading } from '../../components/ui/loading';
import { useDocumentTitle } from '../../components/ui/use-document-title';
import { useConsultation } from '../../features/consultations/api/get-consultation';
import { PublicLogView } from '../../features/moderation/components/moderation-log-view';
import '../../styles/moderation.css';

/** The public transparency page of a consultation: every moderation action and its reason, without who acted. */
export default function ModerationLogRoute() {
  const { slug = '' } = useParams();
  const { t, i18n } = useTranslation();
  const doc = useConsultation(slug);
  const title = doc.data ? (planLanguage(i18n.resolvedLanguage) === 'en' ? doc.data.title.en || doc.data.title.zh : doc.data.title.zh) : undefined;
  useDocumentTitle(title ? `${t('publicLog.title')} · ${title}` : t('publicLog.title'));

  if (doc.isPending) return <Loading />;
  if (doc.isError) return <ErrorNotice error={doc.error} onRetry={() => void doc.refetch()} />;
  return (
    <section className="page wide">
      <nav className="breadcrumb" aria-label={t('document.breadcrumb')}>
        <Link to={`/consultations/${encodeURIComponent(slug)}`}>{title}</Link>
      </nav>
      <h1>{t('publicLog.title')}</h1>
      <p className="lead">{t('publicLog.intro')}</p>
      <PublicLogView slug={slug} />
    </section>
  );
}
