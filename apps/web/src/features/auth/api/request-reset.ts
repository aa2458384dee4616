import type { PasswordResetRequestInput } from '@forum/shared';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** POST /auth/password-reset/request: 202 whatever the address. */
export function requestReset(input: PasswordResetRequestInput): Promise<void> {
  return api<void>('/auth/password-reset/request', { method: 'POST', body: input });
}

export function useRequestReset() {
  return useMutation({ mutationFn: requestReset });
}
