import type { ClauseView, ConsultationView, ItemView } from '@forum/shared';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** The document endpoint, with the comment counts the discussion module adds (absent until it lands). */
export type ClauseWithCount = ClauseView & { commentCount?: number };
export type ItemWithCount = Omit<ItemView, 'clauses'> & { commentCount?: number; clauses: ClauseWithCount[] };
export type ConsultationDocument = Omit<ConsultationView, 'items'> & { items: ItemWithCount[] };

export function getConsultation(slug: string): Promise<ConsultationDocument> {
  return api<ConsultationDocument>(`/consultations/${encodeURIComponent(slug)}`);
}

export const consultationKey = (slug: string) => ['consultation', slug] as const;

export const consultationQuery = (slug: string) =>
  queryOptions({ queryKey: consultationKey(slug), queryFn: () => getConsultation(slug) });

export function useConsultation(slug: string) {
  return useQuery(consultationQuery(slug));
}
