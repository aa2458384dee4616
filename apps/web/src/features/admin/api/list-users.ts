import type { AdminUserList } from '@forum/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export function listUsers(q: string, offset: number): Promise<AdminUserList> {
  return api<AdminUserList>('/admin/users', { query: { q: q.trim() || undefined, limit: 50, offset } });
}

export function useUsers(q: string, offset: number) {
  return useQuery({ queryKey: ['admin-users', q.trim(), offset], queryFn: () => listUsers(q, offset), placeholderData: keepPreviousData });
}
