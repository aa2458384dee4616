import type { UserView } from '@forum/shared';
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { api, ApiError, getAccessToken, hadSession, onAccessTokenChange, refreshAccessToken } from './api-client';

/**
 * Who is signed in, for every page: `null` for a guest. On a fresh page load a browser that had a
 * session asks for a new access token (the refresh cookie survives reloads; the access token,
 * kept only in memory, does not).
 */
export const ME_KEY = ['me'] as const;

async function loadMe(): Promise<UserView | null> {
  if (!getAccessToken()) {
    if (!hadSession()) return null;
    const token = await refreshAccessToken();
    if (!token) return null;
  }
  try {
    return await api<UserView>('/me');
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export function useMe(): { me: UserView | null; loading: boolean } {
  const q = useQuery({ queryKey: ME_KEY, queryFn: loadMe, staleTime: 5 * 60_000 });
  return { me: q.data ?? null, loading: q.isPending };
}

/** Keep the cached user in step with the token: a failed refresh signs the page out. */
export function bindSessionToCache(qc: QueryClient): () => void {
  return onAccessTokenChange((token) => {
    if (token === null && qc.getQueryData(ME_KEY)) qc.setQueryData(ME_KEY, null);
  });
}

export function isModeratorRole(user: UserView | null): boolean {
  return user?.role === 'moderator' || user?.role === 'admin';
}
