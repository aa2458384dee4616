import type { CommentView } from '@forum/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { threadKey, type ThreadData } from './get-comments';

export function deleteComment(id: number): Promise<void> {
  return api<void>(`/comments/${id}`, { method: 'DELETE' });
}

export function useDeleteComment(slug: string, item: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => deleteComment(id),
    // A deleted comment keeps its place, without its body; the live event brings the server's copy too.
    onSuccess: (_v, id) =>
      qc.setQueryData<ThreadData>(threadKey(slug, item), (old) =>
        old
          ? { ...old, comments: old.comments.map((c): CommentView => (c.id === id ? { ...c, status: 'deleted', body: null } : c)) }
          : old,
      ),
  });
}
