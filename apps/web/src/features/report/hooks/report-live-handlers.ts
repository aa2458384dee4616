import type { QueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { announce } from '../../../lib/announce';
import type { LiveHandlers } from '../../../lib/socket';

/** How long tally changes are gathered before the report re-reads its figures and says so. */
const SETTLE_MS = 800;

/**
 * The report's own reaction to live events. The verified item tallies are patched in place by the
 * positions feature's handlers; these re-read the whole report shortly after (coverage, the
 * "everyone" figures and the clause tallies move too), coalescing a burst of `tally.updated` into
 * one polite announcement. A status change (closing) makes the figures final.
 */
export function reportLiveHandlers(qc: QueryClient, slug: string, t: TFunction): { handlers: LiveHandlers; dispose: () => void } {
  const changed = new Set<number>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const refetch = () => void qc.invalidateQueries({ queryKey: ['consultation-tally', slug] });
  const flush = () => {
    timer = null;
    const items = [...changed].sort((a, b) => a - b);
    changed.clear();
    refetch();
    if (items.length) announce(t('report.announceUpdated', { count: items.length, items: items.join(', ') }));
  };
  return {
    handlers: {
      'tally.updated': ({ tally }) => {
        changed.add(tally.target.item);
        timer ??= setTimeout(flush, SETTLE_MS);
      },
      'consultation.updated': ({ status }) => {
        refetch();
        if (status === 'closed') announce(t('report.announceFinal'));
      },
    },
    dispose: () => {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
