import type { AdminUserList, UserView } from '@forum/shared';
import type { QueryClient } from '@tanstack/react-query';

/** Apply a change to a user in every cached admin list at once (undone if the request fails). */
export async function patchUserInLists(qc: QueryClient, id: string, patch: Partial<UserView>): Promise<() => void> {
  await qc.cancelQueries({ queryKey: ['admin-users'] });
  const before = qc.getQueriesData<AdminUserList>({ queryKey: ['admin-users'] });
  qc.setQueriesData<AdminUserList>({ queryKey: ['admin-users'] }, (old) =>
    old ? { ...old, users: old.users.map((u) => (u.id === id ? { ...u, ...patch } : u)) } : old,
  );
  return () => {
    for (const [key, data] of before) qc.setQueryData(key, data);
  };
}
