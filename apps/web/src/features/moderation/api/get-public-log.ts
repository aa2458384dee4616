import type { PublicModerationLogEntry } from '@forum/shared';
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { LOG_PAGE } from './get-moderation-log';

/** A consultation's moderation in the open: actions and reasons, no moderator identity. */
export function getPublicLog(slug: string, before: number | null): Promise<PublicModerationLogEntry[]> {
  return api<PublicModerationLogEntry[]>(`/consultations/${encodeURIComponent(slug)}/moderation-log`, {
    query: { before: before ?? undefined, limit: LOG_PAGE },
  });
}

export function usePublicLog(slug: string) {
  return useInfiniteQuery(
    infiniteQueryOptions({
      queryKey: ['public-moderation-log', slug],
      queryFn: ({ pageParam }) => getPublicLog(slug, pageParam),
      initialPageParam: null as number | null,
      getNextPageParam: (last) => (last.length < LOG_PAGE ? undefined : last[last.length - 1]!.id),
    }),
  );
}
