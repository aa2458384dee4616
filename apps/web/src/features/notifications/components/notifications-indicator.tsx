import type { NotificationView } from '@forum/shared';
import '../../../styles/notifications.css';
import { useEffect, useId, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { Loading } from '../../../components/ui/loading';
import { formatDateTime } from '../../../lib/format';
import { unreadOf, useNotifications } from '../api/get-notifications';
import { useMarkRead } from '../api/mark-read';
import { useLiveNotifications } from '../hooks/use-live-notifications';
import { notificationLink, notificationText } from './notification-text';

function BellIcon() {
  return (
    <svg className="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <path
        d="M8 1.8a4 4 0 0 0-4 4v2.6L2.6 11h10.8L12 8.4V5.8a4 4 0 0 0-4-4zM6.3 12.6a1.8 1.8 0 0 0 3.4 0"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.3"
        strokeLinejoin="round"
        strokeLinecap="round"
      />
    </svg>
  );
}

/**
 * The header's bell for a signed-in user: the unread count, and a panel listing what moderators
 * did to the user's comments or account, with the reasons. Live through `notification.created`.
 */
export function NotificationsIndicator({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const q = useNotifications(userId);
  useLiveNotifications(userId);
  const [open, setOpen] = useState(false);
  const unread = unreadOf(q.data);
  const panelId = useId();
  const wrap = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panelOffset = usePanelOffset(open, wrap);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    const onPointer = (e: PointerEvent) => {
      if (wrap.current && !wrap.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  return (
    <div className="notifications" ref={wrap}>
      <button
        ref={button}
        type="button"
        className="notifications-button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={t('notifications.button', { count: unread })}
        data-testid="notifications-button"
        onClick={() => setOpen((o) => !o)}
      >
        <BellIcon />
        {unread > 0 ? (
          <span className="notifications-count" data-testid="notifications-unread" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        ) : null}
      </button>
      {open ? (
        <div className="notifications-panel" style={{ left: panelOffset }} id={panelId} role="region" aria-label={t('notifications.title')} data-testid="notifications-panel">
          <NotificationsPanel userId={userId} onClose={() => setOpen(false)} />
        </div>
      ) : null}
    </div>
  );
}

/** Panel width: 26rem, or the viewport less a margin. */
const PANEL_REM = 26;
const MARGIN_PX = 16;

/**
 * Where the panel starts, relative to the bell: under it, but moved left as far as needed to stay
 * inside the viewport (the bell's place in the header depends on the width and the language).
 */
function usePanelOffset(open: boolean, wrap: RefObject<HTMLDivElement | null>): number {
  const [offset, setOffset] = useState(0);
  useLayoutEffect(() => {
    if (!open) return;
    const place = () => {
      const el = wrap.current;
      if (!el) return;
      const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
      const width = Math.min(PANEL_REM * rem, window.innerWidth - 2 * MARGIN_PX);
      const left = el.getBoundingClientRect().left;
      const wanted = Math.max(MARGIN_PX, Math.min(left, window.innerWidth - width - MARGIN_PX));
      setOffset(Math.round(wanted - left));
    };
    place();
    window.addEventListener('resize', place);
    return () => window.removeEventListener('resize', place);
  }, [open, wrap]);
  return offset;
}

function NotificationsPanel({ userId, onClose }: { userId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const q = useNotifications(userId);
  const markRead = useMarkRead(userId);
  const unread = unreadOf(q.data);
  const items = q.data?.pages.flatMap((p) => p.notifications) ?? [];
  return (
    <>
      <div className="notifications-head">
        <h2>{t('notifications.title')}</h2>
        <button type="button" className="button-link" onClick={onClose}>
          {t('notifications.close')}
        </button>
      </div>
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <ErrorNotice error={q.error} onRetry={() => void q.refetch()} />
      ) : items.length === 0 ? (
        <p className="muted">{t('notifications.none')}</p>
      ) : (
        <>
          {unread > 0 ? (
            <p>
              <button type="button" className="button-secondary" disabled={markRead.isPending} onClick={() => markRead.mutate(undefined)}>
                {t('notifications.markAllRead')}
              </button>
            </p>
          ) : null}
          <ul className="notification-list">
            {items.map((n) => (
              <NotificationEntry key={n.id} n={n} onRead={() => markRead.mutate([n.id])} onFollow={onClose} busy={markRead.isPending} />
            ))}
          </ul>
          {q.hasNextPage ? (
            <button type="button" className="button-link" disabled={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>
              {t('notifications.loadMore')}
            </button>
          ) : null}
        </>
      )}
      {markRead.isError ? <ErrorNotice error={markRead.error} /> : null}
    </>
  );
}

function NotificationEntry({ n, onRead, onFollow, busy }: { n: NotificationView; onRead: () => void; onFollow: () => void; busy: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'zh';
  const link = notificationLink(n);
  const unread = !n.readAt;
  return (
    <li className={`notification${unread ? ' notification-unread' : ''}`} data-testid="notification">
      <p className="notification-text">
        {unread ? <span className="badge badge-unread">{t('notifications.unread')}</span> : null} {notificationText(n, t, lang)}
      </p>
      <p className="notification-reason">{t('notifications.reason', { reason: n.reason })}</p>
      <p className="notification-meta">
        <time dateTime={n.createdAt}>{formatDateTime(n.createdAt, lang)}</time>
        {link ? (
          <Link
            to={link}
            onClick={() => {
              if (unread) onRead();
              onFollow();
            }}
          >
            {t('notifications.goToComment')}
          </Link>
        ) : null}
        {unread ? (
          <button type="button" className="button-link" disabled={busy} onClick={onRead}>
            {t('notifications.markRead')}
          </button>
        ) : null}
      </p>
    </li>
  );
}
