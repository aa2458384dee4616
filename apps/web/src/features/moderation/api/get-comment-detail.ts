import type { ModerationCommentDetail } from '@forum/shared';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { MODERATION_KEY } from './get-queue';

/** One comment for judging (hidden text included), every flag, its history and its author's record. */
export function getCommentDetail(id: number): Promise<ModerationCommentDetail> {
  return api<ModerationCommentDetail>(`/moderation/comments/${id}`);
}

export function useCommentDetail(id: number) {
  return useQuery(queryOptions({ queryKey: [...MODERATION_KEY, 'comment', id], queryFn: () => getCommentDetail(id), retry: false }));
}
