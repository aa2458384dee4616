import type { ConsultationTallyView } from '@forum/shared';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export function getConsultationTally(slug: string): Promise<ConsultationTallyView> {
  return api<ConsultationTallyView>(`/consultations/${encodeURIComponent(slug)}/tally`);
}

export const consultationTallyKey = (slug: string) => ['consultation-tally', slug] as const;

/** The document's tallies; a 404 (not there yet) is an answer, not an error to retry. */
export const consultationTallyQuery = (slug: string) =>
  queryOptions({ queryKey: consultationTallyKey(slug), queryFn: () => getConsultationTally(slug), retry: false });

export function useConsultationTally(slug: string) {
  return useQuery(consultationTallyQuery(slug));
}
