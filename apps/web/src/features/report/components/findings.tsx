import { STAKEHOLDER_GROUPS, type ItemTallyView } from '@forum/shared';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { percent } from '../../../lib/format';
import type { ItemLabels } from './consensus-map';

/** The divided items (with the spread of the groups' support) and the items with consensus. */
export function Findings({ items, labels }: { items: ItemTallyView[]; labels: ItemLabels }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const divided = items.filter((it) => it.divided);
  const consensus = items.filter((it) => it.consensus);
  const spread = (it: ItemTallyView) => {
    const ratios = STAKEHOLDER_GROUPS.map((g) => it.byGroup[g].supportRatio).filter((r): r is number => r !== null);
    return t('report.spread', { min: percent(Math.min(...ratios), lang), max: percent(Math.max(...ratios), lang) });
  };
  const entry = (it: ItemTallyView, detail: string) => (
    <li key={it.target.item}>
      <Link to={labels.href(it.target.item)}>
        {labels.full(it.target.item)}
      </Link>{' '}
      <span className="muted">— {detail}</span>
    </li>
  );
  return (
    <div className="report-findings">
      <section aria-labelledby="divided-title" data-testid="divided-items">
        <h3 id="divided-title">
          <span className="badge badge-divided">{t('tally.divided')}</span> {t('report.dividedItems')}
        </h3>
        {divided.length ? <ul>{divided.map((it) => entry(it, spread(it)))}</ul> : <p className="muted">{t('report.noneDivided')}</p>}
      </section>
      <section aria-labelledby="consensus-title" data-testid="consensus-items">
        <h3 id="consensus-title">
          <span className="badge badge-consensus">{t('tally.consensus')}</span> {t('report.consensusItems')}
        </h3>
        {consensus.length ? (
          <ul>{consensus.map((it) => entry(it, `${t('report.balanced')} ${percent(it.balancedSupport, lang) ?? ''}`))}</ul>
        ) : (
          <p className="muted">{t('report.noneConsensus')}</p>
        )}
      </section>
    </div>
  );
}
