import type { ModerationLogEntry } from '@forum/shared';
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { MODERATION_KEY } from './get-queue';

export const LOG_PAGE = 50;

/** Every moderation action, newest first, with who acted (moderators only). `before` = the last id of the previous page. */
export function getModerationLog(before: number | null): Promise<ModerationLogEntry[]> {
  return api<ModerationLogEntry[]>('/moderation/log', { query: { before: before ?? undefined, limit: LOG_PAGE } });
}

export function useModerationLog() {
  return useInfiniteQuery(
    infiniteQueryOptions({
      queryKey: [...MODERATION_KEY, 'log'],
      queryFn: ({ pageParam }) => getModerationLog(pageParam),
      initialPageParam: null as number | null,
      getNextPageParam: (last) => (last.length < LOG_PAGE ? undefined : last[last.length - 1]!.id),
      staleTime: 10_000,
    }),
  );
}
