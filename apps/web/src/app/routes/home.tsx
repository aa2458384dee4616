import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ui/error-notice';
import { Loading } from '../../components/ui/loading';
import { useDocumentTitle } from '../../components/ui/use-document-title';
import { useConsultations } from '../../features/consultations/api/get-consultations';
import { ConsultationList } from '../../features/consultations/components/consultation-list';

export function HomeRoute() {
  const { t } = useTranslation();
  const q = useConsultations();
  useDocumentTitle(undefined);
  return (
    <section className="page narrow">
      <h1>{t('home.title')}</h1>
      <p className="lead">{t('home.intro')}</p>
      {q.isPending ? <Loading /> : q.isError ? <ErrorNotice error={q.error} onRetry={() => void q.refetch()} /> : <ConsultationList consultations={q.data} />}
    </section>
  );
}
