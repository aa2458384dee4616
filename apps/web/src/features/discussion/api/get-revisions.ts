import type { CommentRevisionView } from '@forum/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export function getRevisions(id: number): Promise<CommentRevisionView[]> {
  return api<CommentRevisionView[]>(`/comments/${id}/revisions`);
}

export function useRevisions(id: number, enabled: boolean) {
  return useQuery({ queryKey: ['revisions', id], queryFn: () => getRevisions(id), enabled });
}
