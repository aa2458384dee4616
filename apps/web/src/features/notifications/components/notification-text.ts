import type { NotificationView } from '@forum/shared';
import type { TFunction } from 'i18next';
import { formatDateTime } from '../../../lib/format';

/** What happened, in one sentence of the interface language (the reason is shown beside it). */
export function notificationText(n: NotificationView, t: TFunction, lang: string): string {
  switch (n.type) {
    case 'comment.hidden':
      return t('notifications.commentHidden', { item: n.comment?.itemNumber ?? '' });
    case 'comment.restored':
      return t('notifications.commentRestored', { item: n.comment?.itemNumber ?? '' });
    case 'account.suspended':
      return t('notifications.accountSuspended', { date: formatDateTime(n.until, lang) });
    case 'account.unsuspended':
      return t('notifications.accountUnsuspended');
  }
}

/** Where the notification points: the comment's item, at its clause when it has one. */
export function notificationLink(n: NotificationView): string | null {
  if (!n.comment) return null;
  const base = `/consultations/${encodeURIComponent(n.comment.consultation)}/items/${n.comment.itemNumber}`;
  return n.comment.clauseKey ? `${base}#clause-${n.comment.clauseKey}` : base;
}
