import type { FlagReason } from '@forum/shared';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export function flagComment(id: number, reason: FlagReason, note: string | null): Promise<unknown> {
  return api<unknown>(`/comments/${id}/flags`, { method: 'POST', body: note ? { reason, note } : { reason } });
}

export function useFlagComment() {
  return useMutation({
    mutationFn: ({ id, reason, note }: { id: number; reason: FlagReason; note: string | null }) => flagComment(id, reason, note),
  });
}
