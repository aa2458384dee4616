import type { AuthResponse, LoginInput } from '@forum/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, setAccessToken } from '../../../lib/api-client';
import { ME_KEY } from '../../../lib/session';

export function login(input: LoginInput): Promise<AuthResponse> {
  return api<AuthResponse>('/auth/login', { method: 'POST', body: input });
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (res) => {
      setAccessToken(res.accessToken);
      qc.setQueryData(ME_KEY, res.user);
      // Pages cached as a guest (own comments, positions) are re-read as this participant.
      void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
    },
  });
}
