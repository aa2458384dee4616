import type { CommentView } from '@forum/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { MODERATION_KEY } from './get-queue';

export type CommentAction = 'hide' | 'restore' | 'dismiss';

/** Hide or restore a comment, or dismiss its flags, with the stated reason. */
export function moderateComment(id: number, action: CommentAction, reason: string): Promise<CommentView> {
  return api<CommentView>(`/moderation/comments/${id}/${action}`, { method: 'POST', body: { reason } });
}

export function useModerateComment() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action, reason }: { id: number; action: CommentAction; reason: string }) => moderateComment(id, action, reason),
    onSuccess: () => void qc.invalidateQueries({ queryKey: MODERATION_KEY }),
  });
}
