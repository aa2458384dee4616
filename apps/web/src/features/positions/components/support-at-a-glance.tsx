import type { TallyView } from '@forum/shared';
import { useTranslation } from 'react-i18next';
import { RatioBar } from '../../../components/ui/ratio-bar';
import { percent } from '../../../lib/format';

/** One line per item on the document page: balanced support as a meter with its number, and the flags. */
export function SupportAtAGlance({ tally }: { tally: TallyView | undefined }) {
  const { t, i18n } = useTranslation();
  if (!tally) return null;
  const ratio = percent(tally.balancedSupport, i18n.language);
  return (
    <span className="glance" data-testid={`glance-${tally.target.item}`}>
      <span className="glance-label">{t('tally.balancedSupport')}</span>
      {ratio ? (
        <>
          <RatioBar ratio={tally.balancedSupport ?? 0} />
          <strong>{ratio}</strong>
        </>
      ) : (
        <span className="muted">{t('tally.noPositions')}</span>
      )}
      <span className="muted">{t('tally.participants', { count: tally.participants })}</span>
      {tally.consensus ? <span className="badge badge-consensus">{t('tally.consensus')}</span> : null}
      {tally.divided ? <span className="badge badge-divided">{t('tally.divided')}</span> : null}
    </span>
  );
}
