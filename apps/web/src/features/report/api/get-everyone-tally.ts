import type { ConsultationTallyView } from '@forum/shared';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/**
 * The document's tallies counting every participant, verified or not (`?verified=any`). The key
 * sits under ['consultation-tally', slug], so whatever refreshes the verified tallies after a
 * position change refreshes these too.
 */
export function getEveryoneTally(slug: string): Promise<ConsultationTallyView> {
  return api<ConsultationTallyView>(`/consultations/${encodeURIComponent(slug)}/tally`, { query: { verified: 'any' } });
}

export const everyoneTallyKey = (slug: string) => ['consultation-tally', slug, 'any'] as const;

export const everyoneTallyQuery = (slug: string) =>
  queryOptions({ queryKey: everyoneTallyKey(slug), queryFn: () => getEveryoneTally(slug), retry: false });
