import type { CommentRevisionView } from '@forum/shared';
import { useInfiniteQuery } from '@tanstack/react-query';
import { apiWithHeaders } from '../../../lib/api-client';

export interface RevisionsPage {
  revisions: CommentRevisionView[];
  /** From the `X-Next-Cursor` header; null on the last page. */
  nextCursor: string | null;
}

/** One page of a comment's earlier bodies: the answer is the array, the next page's cursor a header. */
export async function getRevisions(id: number, cursor?: string): Promise<RevisionsPage> {
  const { data, headers } = await apiWithHeaders<CommentRevisionView[]>(`/comments/${id}/revisions`, { query: { cursor } });
  return { revisions: data, nextCursor: headers.get('X-Next-Cursor') };
}

export function useRevisions(id: number, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: ['revisions', id],
    queryFn: ({ pageParam }) => getRevisions(id, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}
