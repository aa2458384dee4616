import type { CommentView, QuoteSelector } from '@forum/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { upsertComment } from './get-comments';

export interface NewComment {
  body: string;
  clauseKey?: string | null;
  parentId?: number | null;
  quote?: QuoteSelector | null;
}

export function postComment(slug: string, item: number, input: NewComment): Promise<CommentView> {
  const body: Record<string, unknown> = { body: input.body };
  if (input.parentId) body.parentId = input.parentId;
  else {
    if (input.clauseKey) body.clauseKey = input.clauseKey;
    if (input.clauseKey && input.quote) body.quote = input.quote;
  }
  return api<CommentView>(`/consultations/${encodeURIComponent(slug)}/items/${item}/comments`, { method: 'POST', body });
}

export function usePostComment(slug: string, item: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: NewComment) => postComment(slug, item, input),
    onSuccess: (comment) => upsertComment(qc, slug, item, comment, { pending: false }),
  });
}
