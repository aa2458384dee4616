import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from './use-document-title';

/** A page whose module is still to be written: says so in the interface language and in the other one. */
export function PendingPage({ page }: { page: 'report' | 'moderation' | 'moderationLog' }) {
  const { t, i18n } = useTranslation();
  const other = i18n.getFixedT(i18n.resolvedLanguage === 'en' ? 'zh' : 'en');
  useDocumentTitle(t(`pending.${page}`));
  return (
    <section className="page narrow" data-testid="pending-page">
      <h1>{t(`pending.${page}`)}</h1>
      <p>{t('pending.body')}</p>
      <p className="muted" lang={i18n.resolvedLanguage === 'en' ? 'zh-CN' : 'en'}>
        {other(`pending.${page}`)} — {other('pending.body')}
      </p>
    </section>
  );
}
