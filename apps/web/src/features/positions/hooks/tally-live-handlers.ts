import type { ConsultationTallyView, TallyView } from '@forum/shared';
import type { QueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { announce } from '../../../lib/announce';
import { percent } from '../../../lib/format';
import type { LiveHandlers } from '../../../lib/socket';
import { consultationTallyKey } from '../api/get-consultation-tally';
import { itemTallyKey } from '../api/get-item-tally';

/**
 * What `tally.updated` does to the cache: the (verified-only) tally of the target is replaced;
 * the "everyone" variant is refetched; a change of the item tally shown is announced politely.
 */
export function tallyLiveHandlers(qc: QueryClient, slug: string, t: TFunction, announceItem?: number): LiveHandlers {
  return {
    'tally.updated': ({ tally }) => {
      const { item, clause } = tally.target;
      qc.setQueryData<TallyView>(itemTallyKey(slug, item, clause, 'verified'), tally);
      void qc.invalidateQueries({ queryKey: itemTallyKey(slug, item, clause, 'any') });
      qc.setQueryData<ConsultationTallyView>(consultationTallyKey(slug), (old) => {
        if (!old) return old;
        return {
          ...old,
          items: old.items.map((it) => {
            if (it.target.item !== item) return it;
            if (clause === null) return { ...it, ...tally, clauses: it.clauses, coverage: it.coverage };
            return { ...it, clauses: it.clauses.map((c) => (c.target.clause === clause ? tally : c)) };
          }),
        };
      });
      if (announceItem === item) {
        const ratio = percent(tally.balancedSupport);
        announce(
          clause
            ? t('tally.announceClause', { clause, participants: tally.participants, ratio: ratio ?? t('tally.noRatio') })
            : t('tally.announceItem', { n: item, participants: tally.participants, ratio: ratio ?? t('tally.noRatio') }),
        );
      }
    },
  };
}
