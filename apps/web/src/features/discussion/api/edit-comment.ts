import type { CommentView } from '@forum/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { upsertComment } from './get-comments';

export function editComment(id: number, body: string): Promise<CommentView> {
  return api<CommentView>(`/comments/${id}`, { method: 'PATCH', body: { body } });
}

export function useEditComment(slug: string, item: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: string }) => editComment(id, body),
    onSuccess: (comment) => {
      upsertComment(qc, slug, item, comment, { pending: false });
      void qc.invalidateQueries({ queryKey: ['revisions', comment.id] });
    },
  });
}
