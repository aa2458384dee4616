import type { PositionView, Stance } from '@forum/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { myPositionsKey } from './get-my-positions';

export interface TakePositionArgs {
  stance: Stance;
  clauseKey: string | null;
  reason: string | null;
}

export function putPosition(slug: string, item: number, args: TakePositionArgs): Promise<PositionView> {
  return api<PositionView>(`/consultations/${encodeURIComponent(slug)}/items/${item}/position`, {
    method: 'PUT',
    body: { stance: args.stance, clauseKey: args.clauseKey, reason: args.reason?.trim() ? args.reason.trim() : null },
  });
}

export function useTakePosition(slug: string, item: number, userId: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (args: TakePositionArgs) => putPosition(slug, item, args),
    onSuccess: (pos) => {
      qc.setQueryData<PositionView[]>(myPositionsKey(slug, userId), (old = []) => [
        ...old.filter((p) => !(p.item === pos.item && p.clauseKey === pos.clauseKey)),
        pos,
      ]);
      // The live channel brings the new tally; this covers a page whose socket is down.
      void qc.invalidateQueries({ queryKey: ['tally', slug, item] });
      void qc.invalidateQueries({ queryKey: ['consultation-tally', slug] });
    },
  });
}
