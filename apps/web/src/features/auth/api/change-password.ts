import type { ChangePasswordInput } from '@forum/shared';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** POST /me/password: 204; this session stays, every other one is signed out. */
export function changePassword(input: ChangePasswordInput): Promise<void> {
  return api<void>('/me/password', { method: 'POST', body: input });
}

export function useChangePassword() {
  return useMutation({ mutationFn: changePassword });
}
