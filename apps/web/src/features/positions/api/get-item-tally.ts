import type { TallyView } from '@forum/shared';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export type TallyScope = 'verified' | 'any';

/** The tally of an item (clause null) or of one of its clauses. */
export function getItemTally(slug: string, item: number, clause: string | null, scope: TallyScope): Promise<TallyView> {
  return api<TallyView>(`/consultations/${encodeURIComponent(slug)}/items/${item}/tally`, {
    query: { clause: clause ?? undefined, verified: scope === 'any' ? 'any' : undefined },
  });
}

export const itemTallyKey = (slug: string, item: number, clause: string | null, scope: TallyScope) =>
  ['tally', slug, item, clause ?? '', scope] as const;

export const itemTallyQuery = (slug: string, item: number, clause: string | null, scope: TallyScope) =>
  queryOptions({
    queryKey: itemTallyKey(slug, item, clause, scope),
    queryFn: () => getItemTally(slug, item, clause, scope),
    retry: false,
  });

export function useItemTally(slug: string, item: number, clause: string | null, scope: TallyScope) {
  return useQuery(itemTallyQuery(slug, item, clause, scope));
}
