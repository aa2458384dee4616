import type { Role, UserView } from '@forum/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { patchUserInLists } from './optimistic';

export function setRole(id: string, role: Role): Promise<UserView> {
  return api<UserView>(`/admin/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: { role } });
}

export function useSetRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, role }: { id: string; role: Role }) => setRole(id, role),
    onMutate: (v) => patchUserInLists(qc, v.id, { role: v.role }),
    onError: (_e, _v, undo) => undo?.(),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['admin-users'] }),
  });
}
