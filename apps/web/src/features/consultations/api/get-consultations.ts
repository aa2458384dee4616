import type { ConsultationSummary } from '@forum/shared';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export function getConsultations(): Promise<ConsultationSummary[]> {
  return api<ConsultationSummary[]>('/consultations');
}

export const consultationsQuery = () => queryOptions({ queryKey: ['consultations'], queryFn: getConsultations });

export function useConsultations() {
  return useQuery(consultationsQuery());
}
