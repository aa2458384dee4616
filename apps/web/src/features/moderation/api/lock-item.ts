import type { ItemLockView } from '@forum/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { MODERATION_KEY } from './get-queue';

/** Lock or unlock an item's discussion and positions, with the stated reason. */
export function lockItem(slug: string, item: number, locked: boolean, reason: string): Promise<ItemLockView> {
  return api<ItemLockView>(`/moderation/consultations/${encodeURIComponent(slug)}/items/${item}/lock`, { method: 'POST', body: { locked, reason } });
}

export function useLockItem() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ slug, item, locked, reason }: { slug: string; item: number; locked: boolean; reason: string }) => lockItem(slug, item, locked, reason),
    onSuccess: () => void qc.invalidateQueries({ queryKey: MODERATION_KEY }),
  });
}
