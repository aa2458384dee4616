import type { ConsultationStatus, ConsultationSummary } from '@forum/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export function setConsultationStatus(slug: string, status: ConsultationStatus): Promise<ConsultationSummary> {
  return api<ConsultationSummary>(`/admin/consultations/${encodeURIComponent(slug)}`, { method: 'PATCH', body: { status } });
}

export function useSetConsultationStatus() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ slug, status }: { slug: string; status: ConsultationStatus }) => setConsultationStatus(slug, status),
    onSuccess: (_r, { slug }) => {
      void qc.invalidateQueries({ queryKey: ['consultations'] });
      void qc.invalidateQueries({ queryKey: ['consultation', slug] });
    },
  });
}
