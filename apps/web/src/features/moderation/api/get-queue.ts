import type { ModerationQueueEntry } from '@forum/shared';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** Everything under this key is moderators' data: an action refreshes all of it. */
export const MODERATION_KEY = ['moderation'] as const;

/** Flagged comments, most flagged first, with their flags, context and the author's record. */
export function getQueue(): Promise<ModerationQueueEntry[]> {
  return api<ModerationQueueEntry[]>('/moderation/queue', { query: { limit: 100 } });
}

export const queueQuery = () => queryOptions({ queryKey: [...MODERATION_KEY, 'queue'], queryFn: getQueue, staleTime: 10_000 });

export function useQueue() {
  return useQuery(queueQuery());
}
