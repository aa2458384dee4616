import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, forgetSession } from '../../../lib/api-client';
import { ME_KEY } from '../../../lib/session';

export function logout(): Promise<void> {
  return api<void>('/auth/logout', { method: 'POST' });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: logout,
    // Signed out locally whatever the server said: the token is dropped and the cookie was revoked or is useless.
    onSettled: () => {
      forgetSession();
      qc.setQueryData(ME_KEY, null);
      // What was read as this participant is stale, but refetching now (before the signed-in parts unmount) would
      // send their requests without a token: mark it stale and let pages refetch as they are shown.
      void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'me', refetchType: 'none' });
    },
  });
}
