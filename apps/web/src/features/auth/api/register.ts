import type { AuthResponse, RegisterInput } from '@forum/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, setAccessToken } from '../../../lib/api-client';
import { ME_KEY } from '../../../lib/session';

export function register(input: RegisterInput): Promise<AuthResponse> {
  return api<AuthResponse>('/auth/register', { method: 'POST', body: input });
}

export function useRegister() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: register,
    onSuccess: (res) => {
      setAccessToken(res.accessToken);
      qc.setQueryData(ME_KEY, res.user);
    },
  });
}
