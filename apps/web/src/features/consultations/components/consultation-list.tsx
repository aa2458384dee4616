import type { ConsultationSummary } from '@forum/shared';
import { useTranslation } from 'react-i18next';
import { planLanguage } from '../../../i18n/detect';
import { Link } from 'react-router';
import { StatusBadge } from '../../../components/ui/badges';
import { formatDate } from '../../../lib/format';
import { useHydrated } from '../../../lib/hydration';

export function ConsultationList({ consultations }: { consultations: ConsultationSummary[] }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'zh';
  // The plan's titles exist in Chinese and English: English first in every interface language but Chinese.
  const plan = planLanguage(lang);
  // The reader's time zone once hydrated; UTC in the server's HTML and the render that takes it over.
  const zone = useHydrated() ? undefined : 'UTC';
  if (consultations.length === 0) return <p className="muted">{t('consultations.none')}</p>;
  return (
    <ul className="card-list">
      {consultations.map((c) => {
        const primary = plan === 'en' ? c.title.en || c.title.zh : c.title.zh;
        const secondary = plan === 'en' ? c.title.zh : c.title.en;
        return (
          <li key={c.slug} className="card">
            <h2 className="card-title">
              <Link to={`/consultations/${c.slug}`} lang={plan === 'en' && c.title.en ? 'en' : 'zh-CN'}>
                {primary}
              </Link>
            </h2>
            {secondary && secondary !== primary ? (
              <p className="card-subtitle" lang={plan === 'en' ? 'zh-CN' : 'en'}>
                {secondary}
              </p>
            ) : null}
            <p className="card-meta">
              <StatusBadge status={c.status} />
              {c.opensAt ? <span>{t('consultations.opens', { date: formatDate(c.opensAt, lang, zone) })}</span> : null}
              {c.closesAt ? <span>{t('consultations.closes', { date: formatDate(c.closesAt, lang, zone) })}</span> : null}
            </p>
          </li>
        );
      })}
    </ul>
  );
}
