import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { notificationsKey, type NotificationsData } from './get-notifications';

/** Marks these notifications read, or all of them when `ids` is absent; the API answers the unread count. */
export function markNotificationsRead(ids?: number[]): Promise<{ unread: number }> {
  return api<{ unread: number }>('/me/notifications/read', { method: 'POST', body: ids ? { ids } : {} });
}

export function useMarkRead(userId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (ids?: number[]) => markNotificationsRead(ids),
    onSuccess: ({ unread }, ids) => {
      const now = new Date().toISOString();
      const chosen = ids ? new Set(ids) : null;
      qc.setQueryData<NotificationsData>(notificationsKey(userId), (old) =>
        old
          ? {
              ...old,
              pages: old.pages.map((p, i) => ({
                ...p,
                unread: i === 0 ? unread : p.unread,
                notifications: p.notifications.map((n) => (!n.readAt && (!chosen || chosen.has(n.id)) ? { ...n, readAt: now } : n)),
              })),
            }
          : old,
      );
    },
  });
}
