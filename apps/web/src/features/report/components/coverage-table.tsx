import { STAKEHOLDER_GROUPS, type ItemTallyView } from '@forum/shared';
import { useTranslation } from 'react-i18next';
import type { ItemLabels } from './consensus-map';

/** How many participants of each group have a position on each item or one of its clauses. */
export function CoverageTable({ items, labels, caption }: { items: ItemTallyView[]; labels: ItemLabels; caption: string }) {
  const { t } = useTranslation();
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table className="data-table coverage-table" data-testid="coverage-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('report.item')}</th>
            {STAKEHOLDER_GROUPS.map((g) => (
              <th scope="col" key={g} className="num">
                {t(`groups.${g}.label`)}
              </th>
            ))}
            <th scope="col" className="num">
              {t('report.total')}
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((it) => {
            const n = it.target.item;
            const total = STAKEHOLDER_GROUPS.reduce((sum, g) => sum + (it.coverage[g] ?? 0), 0);
            return (
              <tr key={n}>
                <th scope="row">{labels.full(n)}</th>
                {STAKEHOLDER_GROUPS.map((g) => (
                  <td key={g} className="num" data-group={g}>
                    {it.coverage[g] ?? 0}
                  </td>
                ))}
                <td className="num">{total}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
