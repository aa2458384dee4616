import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { announce } from '../../../lib/announce';
import { addNotification, notificationsKey } from '../api/get-notifications';
import { notificationText } from '../components/notification-text';

/**
 * `notification.created` reaches only this user's sockets and is not replayed: a new one goes to
 * the top of the list and is announced politely; every (re)connection re-reads the list so that
 * nothing sent while offline is missed. The socket module is loaded on demand, keeping
 * socket.io out of the first page load.
 */
export function useLiveNotifications(userId: string): void {
  const qc = useQueryClient();
  const { t, i18n } = useTranslation();
  useEffect(() => {
    let stop: (() => void) | null = null;
    let cancelled = false;
    void import('../../../lib/socket').then(({ followPersonal }) => {
      if (cancelled) return;
      stop = followPersonal({
        'notification.created': ({ notification }) => {
          if (!addNotification(qc, userId, notification)) void qc.invalidateQueries({ queryKey: notificationsKey(userId) });
          announce(t('notifications.announce', { text: notificationText(notification, t, i18n.resolvedLanguage ?? 'zh') }));
        },
        connected: () => void qc.invalidateQueries({ queryKey: notificationsKey(userId) }),
      });
    });
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [qc, userId, t, i18n]);
}
