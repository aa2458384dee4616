import type { AuthOptions } from '@forum/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export function getAuthOptions(): Promise<AuthOptions> {
  return api<AuthOptions>('/auth/options');
}

/** What the sign-in page may offer (a "forgot password" link only when the forum sends mail). */
export function useAuthOptions() {
  return useQuery({ queryKey: ['auth-options'], queryFn: getAuthOptions, staleTime: 10 * 60_000 });
}
