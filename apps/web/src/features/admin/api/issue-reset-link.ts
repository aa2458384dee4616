import type { PasswordResetLink } from '@forum/shared';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** POST /admin/users/:id/password-reset: a one-time link, shown once. */
export function issueResetLink(id: string): Promise<PasswordResetLink> {
  return api<PasswordResetLink>(`/admin/users/${encodeURIComponent(id)}/password-reset`, { method: 'POST' });
}

export function useIssueResetLink() {
  return useMutation({ mutationFn: issueResetLink });
}
