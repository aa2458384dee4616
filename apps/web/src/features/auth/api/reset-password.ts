import type { PasswordResetInput } from '@forum/shared';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** POST /auth/password-reset: sets the password with a one-time link's token (204). */
export function resetPassword(input: PasswordResetInput): Promise<void> {
  return api<void>('/auth/password-reset', { method: 'POST', body: input });
}

export function useResetPassword() {
  return useMutation({ mutationFn: resetPassword });
}
