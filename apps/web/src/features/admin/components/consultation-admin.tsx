import type { ConsultationSummary } from '@forum/shared';
import { useTranslation } from 'react-i18next';
import { planLanguage } from '../../../i18n/detect';
import { Link } from 'react-router';
import { StatusBadge } from '../../../components/ui/badges';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { useSetConsultationStatus } from '../api/set-consultation-status';

/** Open or close a consultation (closed: no more comments or positions; the report is final). */
export function ConsultationAdmin({ consultations }: { consultations: ConsultationSummary[] }) {
  const { t, i18n } = useTranslation();
  const setStatus = useSetConsultationStatus();
  return (
    <section aria-labelledby="admin-consultations">
      <h2 id="admin-consultations">{t('admin.consultations')}</h2>
      {setStatus.isError ? <ErrorNotice error={setStatus.error} /> : null}
      <ul className="card-list">
        {consultations.map((c) => (
          <li key={c.slug} className="card admin-consultation">
            <Link to={`/consultations/${c.slug}`}>{planLanguage(i18n.resolvedLanguage) === 'en' ? c.title.en || c.title.zh : c.title.zh}</Link>{' '}
            <StatusBadge status={c.status} />
            <div className="actions">
              {c.status !== 'open' ? (
                <button type="button" disabled={setStatus.isPending} onClick={() => setStatus.mutate({ slug: c.slug, status: 'open' })}>
                  {t('admin.open')}
                </button>
              ) : (
                <button type="button" className="button-danger" disabled={setStatus.isPending} onClick={() => setStatus.mutate({ slug: c.slug, status: 'closed' })}>
                  {t('admin.close')}
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
