import { STAKEHOLDER_GROUPS, STANCES, type TallyView } from '@forum/shared';
import { useTranslation } from 'react-i18next';
import { percent } from '../../../lib/format';
import { RatioBar } from '../../../components/ui/ratio-bar';

/**
 * Positions by stakeholder group × stance with each group's support ratio. Every figure is written
 * out; the bars only repeat the ratio, so the table reads the same without colour.
 */
export function TallyTable({ tally, caption }: { tally: TallyView; caption: string }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="tally">
      <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table className="tally-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('tally.group')}</th>
            {STANCES.map((s) => (
              <th scope="col" key={s} className="num">
                {t(`stances.${s}.short`)}
              </th>
            ))}
            <th scope="col">{t('tally.supportRatio')}</th>
          </tr>
        </thead>
        <tbody>
          {STAKEHOLDER_GROUPS.map((g) => {
            const row = tally.byGroup[g];
            const ratio = percent(row.supportRatio, i18n.language);
            return (
              <tr key={g}>
                <th scope="row">{t(`groups.${g}.label`)}</th>
                {STANCES.map((s) => (
                  <td key={s} className="num">
                    {row[s]}
                  </td>
                ))}
                <td className="ratio-cell">
                  {ratio ? (
                    <span className="ratio">
                      <RatioBar ratio={row.supportRatio ?? 0} />
                      <span className="ratio-text">{ratio}</span>
                    </span>
                  ) : (
                    <span className="muted">{t('tally.noRatio')}</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      </div>
      <TallySummary tally={tally} />
    </div>
  );
}

export function TallySummary({ tally }: { tally: TallyView }) {
  const { t, i18n } = useTranslation();
  const balanced = percent(tally.balancedSupport, i18n.language);
  return (
    <p className="tally-summary">
      <span>
        {t('tally.balancedSupport')}: <strong>{balanced ?? t('tally.noRatio')}</strong>
      </span>
      <span>{t('tally.participants', { count: tally.participants })}</span>
      {tally.consensus ? <span className="badge badge-consensus">{t('tally.consensus')}</span> : null}
      {tally.divided ? <span className="badge badge-divided">{t('tally.divided')}</span> : null}
      {tally.final ? <span className="badge">{t('tally.final')}</span> : null}
      <span className="muted">{tally.rules.verified === 'any' ? t('tally.countsEveryone') : t('tally.countsVerified')}</span>
    </p>
  );
}
