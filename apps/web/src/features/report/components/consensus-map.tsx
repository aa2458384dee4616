import { STAKEHOLDER_GROUPS, type ItemTallyView } from '@forum/shared';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { percent } from '../../../lib/format';
import { RATIO_BINS, ratioBin, supportCounts } from '../ratio-scale';

export interface ItemLabels {
  /** The item's title in the interface language. */
  title: (n: number) => string;
  /** Number and title ("3 · Empower…"), or the preamble's title. */
  full: (n: number) => string;
  /** "Item 3" / "第3条", or "Preamble". */
  name: (n: number) => string;
  href: (n: number) => string;
}

/**
 * Items × stakeholder groups. A cell's colour is the group's support ratio, and the cell also
 * says it: the percentage, the counts behind it and the abstentions, so the map reads the same
 * without colour (and to a screen reader, through the row and column headers).
 */
export function ConsensusMap({ items, labels, caption }: { items: ItemTallyView[]; labels: ItemLabels; caption: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const rules = items[0]?.rules;
  return (
    <>
      <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
        <table className="consensus-map" data-testid="consensus-map">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t('report.item')}</th>
              {STAKEHOLDER_GROUPS.map((g) => (
                <th scope="col" key={g}>
                  <span className={`group-mark group-mark-${g}`} aria-hidden="true" />
                  {t(`groups.${g}.label`)}
                </th>
              ))}
              <th scope="col">{t('report.balanced')}</th>
              <th scope="col">{t('report.flags')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((it) => {
              const n = it.target.item;
              return (
                <tr key={n} data-item={n}>
                  <th scope="row" className="map-item">
                    <Link to={labels.href(n)}>
                      {n === 0 ? (
                        labels.full(n)
                      ) : (
                        <>
                          <span className="map-item-number">{n}</span> <span className="map-item-title">{labels.title(n)}</span>
                        </>
                      )}
                    </Link>
                  </th>
                  {STAKEHOLDER_GROUPS.map((g) => {
                    const row = it.byGroup[g];
                    const bin = ratioBin(row.supportRatio);
                    const { supporting, counted } = supportCounts(row);
                    return (
                      <td key={g} className={`map-cell map-bin-${bin}`} data-group={g} data-ratio={row.supportRatio ?? ''}>
                        {row.supportRatio === null ? (
                          <span className="map-ratio">{t('report.noPositions')}</span>
                        ) : (
                          <>
                            <strong className="map-ratio">{percent(row.supportRatio, lang)}</strong>
                            <span className="map-counts">{t('report.cellCounts', { supporting, counted })}</span>
                          </>
                        )}
                        {row.abstain > 0 ? <span className="map-counts">{t('report.abstentions', { count: row.abstain })}</span> : null}
                      </td>
                    );
                  })}
                  <td className="map-balanced">{percent(it.balancedSupport, lang) ?? <span className="muted">{t('report.noPositions')}</span>}</td>
                  <td className="map-flags">
                    {it.consensus ? <span className="badge badge-consensus">{t('tally.consensus')}</span> : null}
                    {it.divided ? <span className="badge badge-divided">{t('tally.divided')}</span> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="map-legend">
        <p className="map-legend-title" id="map-legend-title">
          {t('report.legend')}
        </p>
        <ul aria-labelledby="map-legend-title">
          {RATIO_BINS.map((b) => (
            <li key={b}>
              <span className={`map-swatch map-bin-${b}`} aria-hidden="true" />
              {t(b === 'none' ? 'report.binNone' : `report.bin${b}`)}
            </li>
          ))}
        </ul>
        {rules ? (
          <>
            <p className="muted">
              {t('report.consensusRule', { min: rules.minPerGroup, threshold: percent(rules.threshold, lang) })}
            </p>
            <p className="muted">{t('report.dividedRule', { gap: Math.round(rules.dividedGap * 100) })}</p>
          </>
        ) : null}
      </div>
    </>
  );
}
