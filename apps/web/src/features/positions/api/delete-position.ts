import type { PositionView } from '@forum/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { myPositionsKey } from './get-my-positions';

export function deletePosition(slug: string, item: number, clauseKey: string | null): Promise<void> {
  return api<void>(`/consultations/${encodeURIComponent(slug)}/items/${item}/position`, {
    method: 'DELETE',
    query: { clause: clauseKey ?? undefined },
  });
}

export function useWithdrawPosition(slug: string, item: number, userId: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (clauseKey: string | null) => deletePosition(slug, item, clauseKey),
    onSuccess: (_v, clauseKey) => {
      qc.setQueryData<PositionView[]>(myPositionsKey(slug, userId), (old = []) =>
        old.filter((p) => !(p.item === item && p.clauseKey === clauseKey)),
      );
      void qc.invalidateQueries({ queryKey: ['tally', slug, item] });
      void qc.invalidateQueries({ queryKey: ['consultation-tally', slug] });
    },
  });
}
