import type { UserView } from '@forum/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { patchUserInLists } from './optimistic';

export function setVerification(id: string, verified: boolean): Promise<UserView> {
  return api<UserView>(`/admin/users/${encodeURIComponent(id)}/verification`, { method: 'POST', body: { verified } });
}

export function useSetVerification() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, verified }: { id: string; verified: boolean }) => setVerification(id, verified),
    onMutate: (v) => patchUserInLists(qc, v.id, { verified: v.verified }),
    onError: (_e, _v, undo) => undo?.(),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['admin-users'] }),
  });
}
