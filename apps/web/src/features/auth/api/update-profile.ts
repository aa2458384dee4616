import type { UpdateMeInput, UserView } from '@forum/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { ME_KEY } from '../../../lib/session';

export function updateProfile(input: UpdateMeInput): Promise<UserView> {
  return api<UserView>('/me', { method: 'PATCH', body: input });
}

export function useUpdateProfile() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: updateProfile,
    onSuccess: (user) => qc.setQueryData(ME_KEY, user),
  });
}
