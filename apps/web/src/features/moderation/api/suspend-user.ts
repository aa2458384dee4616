import type { SuspensionView } from '@forum/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { MODERATION_KEY } from './get-queue';

/**
 * Suspend a participant through `until` (a date `YYYY-MM-DD`: through the end of that day, UTC),
 * or lift a suspension (`until: null`), with the stated reason.
 */
export function suspendUser(userId: string, until: string | null, reason: string): Promise<SuspensionView> {
  return api<SuspensionView>(`/moderation/users/${encodeURIComponent(userId)}/suspend`, { method: 'POST', body: { until, reason } });
}

export function useSuspendUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, until, reason }: { userId: string; until: string | null; reason: string }) => suspendUser(userId, until, reason),
    onSuccess: () => void qc.invalidateQueries({ queryKey: MODERATION_KEY }),
  });
}
