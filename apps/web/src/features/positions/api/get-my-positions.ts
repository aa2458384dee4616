import type { PositionView } from '@forum/shared';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** The signed-in participant's positions in one consultation (items and clauses). */
export function getMyPositions(slug: string): Promise<PositionView[]> {
  return api<PositionView[]>(`/consultations/${encodeURIComponent(slug)}/positions/mine`);
}

export const myPositionsKey = (slug: string, userId: string | null) => ['my-positions', slug, userId ?? ''] as const;

export function useMyPositions(slug: string, userId: string | null) {
  return useQuery(
    queryOptions({
      queryKey: myPositionsKey(slug, userId),
      queryFn: () => getMyPositions(slug),
      enabled: userId !== null,
      retry: false,
    }),
  );
}
