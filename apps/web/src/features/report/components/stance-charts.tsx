import { STAKEHOLDER_GROUPS, STANCES, type ItemTallyView } from '@forum/shared';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { STANCE_COLOURS } from '../ratio-scale';
import type { ItemLabels } from './consensus-map';

/**
 * For each item, the positions of each stakeholder group as one bar stacked by stance. The charts
 * repeat figures that are also given as a table under each chart, so the SVG is one labelled image
 * for assistive technology. This module (and recharts) is its own chunk, loaded by the report only.
 */
export default function StanceCharts({ items, labels }: { items: ItemTallyView[]; labels: ItemLabels }) {
  const { t } = useTranslation();
  return (
    <>
      <ul className="stance-legend" aria-label={t('positions.stance')}>
        {STANCES.map((s) => (
          <li key={s}>
            <span className="stance-swatch" style={{ background: STANCE_COLOURS[s] }} aria-hidden="true" />
            {t(`stances.${s}.label`)}
          </li>
        ))}
      </ul>
      <div className="stance-charts">
        {items.map((it) => (
          <ItemChart key={it.target.item} item={it} labels={labels} />
        ))}
      </div>
    </>
  );
}

function ItemChart({ item, labels }: { item: ItemTallyView; labels: ItemLabels }) {
  const { t } = useTranslation();
  const n = item.target.item;
  const data = STAKEHOLDER_GROUPS.map((g) => ({
    group: t(`groups.${g}.label`),
    ...Object.fromEntries(STANCES.map((s) => [s, item.byGroup[g][s]])),
  }));
  const empty = STAKEHOLDER_GROUPS.every((g) => item.byGroup[g].total === 0);
  return (
    <figure className="stance-chart" data-testid={`stance-chart-${n}`} aria-labelledby={`chart-${n}-caption`}>
      <figcaption id={`chart-${n}-caption`}>{labels.full(n)}</figcaption>
      {empty ? (
        <p className="muted">{t('tally.noPositions')}</p>
      ) : (
        <div className="stance-chart-plot" role="img" aria-label={t('report.chartLabel', { item: labels.name(n) })}>
          <BarChart
            responsive
            width="100%"
            height={190}
            data={data}
            layout="vertical"
            margin={{ top: 4, right: 12, bottom: 4, left: 4 }}
            accessibilityLayer={false}
          >
            <CartesianGrid horizontal={false} strokeDasharray="3 3" />
            <XAxis type="number" allowDecimals={false} />
            <YAxis type="category" dataKey="group" width={96} />
            <Tooltip isAnimationActive={false} />
            {STANCES.map((s) => (
              <Bar key={s} dataKey={s} name={t(`stances.${s}.label`)} stackId="stance" fill={STANCE_COLOURS[s]} isAnimationActive={false} />
            ))}
          </BarChart>
        </div>
      )}
      <details className="stance-chart-table">
        <summary>{t('report.chartTable')}</summary>
        <table className="data-table">
          <caption className="visually-hidden">{t('report.tableCaption', { item: labels.name(n) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('tally.group')}</th>
              {STANCES.map((s) => (
                <th scope="col" key={s} className="num">
                  {t(`stances.${s}.short`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {STAKEHOLDER_GROUPS.map((g) => (
              <tr key={g}>
                <th scope="row">{t(`groups.${g}.label`)}</th>
                {STANCES.map((s) => (
                  <td key={s} className="num">
                    {item.byGroup[g][s]}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
