import type { NotificationsPage, NotificationView } from '@forum/shared';
import { infiniteQueryOptions, useInfiniteQuery, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

const PAGE = 20;

/** The signed-in user's notifications, newest first, a page at a time (`before` = the last id seen). */
export function getNotifications(before: number | null): Promise<NotificationsPage> {
  return api<NotificationsPage>('/me/notifications', { query: { limit: PAGE, before: before ?? undefined } });
}

export const notificationsKey = (userId: string) => ['notifications', userId] as const;

export const notificationsQuery = (userId: string) =>
  infiniteQueryOptions({
    queryKey: notificationsKey(userId),
    queryFn: ({ pageParam }) => getNotifications(pageParam),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextBefore,
    staleTime: 60_000,
  });

export function useNotifications(userId: string) {
  return useInfiniteQuery(notificationsQuery(userId));
}

export type NotificationsData = InfiniteData<NotificationsPage, number | null>;

/** The unread count the API gave with the newest page (kept current by the live event and mark-read). */
export function unreadOf(data: InfiniteData<NotificationsPage, unknown> | undefined): number {
  return data?.pages[0]?.unread ?? 0;
}

/** A notification that arrived live: first in the list, one more unread (unless it is already there). */
export function addNotification(qc: QueryClient, userId: string, n: NotificationView): boolean {
  let added = false;
  qc.setQueryData<NotificationsData>(notificationsKey(userId), (old) => {
    if (!old || old.pages.length === 0) return old;
    if (old.pages.some((p) => p.notifications.some((x) => x.id === n.id))) return old;
    added = true;
    const [first, ...rest] = old.pages;
    return {
      ...old,
      pages: [{ ...first!, notifications: [n, ...first!.notifications], unread: first!.unread + (n.readAt ? 0 : 1) }, ...rest],
    };
  });
  return added;
}
