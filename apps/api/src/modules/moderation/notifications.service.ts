import { Injectable } from '@nestjs/common';
import { LiveEvent, type NotificationCreatedPayload, type NotificationsPage, type NotificationsQuery, type NotificationView } from '@forum/shared';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { toNotificationView } from './moderation.mapper.js';
import { type NewNotification, NotificationsRepository } from './notifications.repository.js';

/**
 * Tells a participant what moderation did to their comment or account, and why. The row is the
 * truth (GET /me/notifications); the live `notification.created` to their own sockets is a
 * courtesy written in the same transaction (user_events) and sent after commit by the relay.
 */
@Injectable()
export class NotificationsService {
  constructor(private readonly repo: NotificationsRepository) {}

  /** Call inside the transaction of the action it reports. */
  async notify(tx: EntityManager, n: NewNotification): Promise<NotificationView> {
    const view = toNotificationView(await this.repo.insert(tx, n));
    const payload: NotificationCreatedPayload = { notification: view };
    await this.repo.insertUserEvent(tx, n.userId, LiveEvent.NotificationCreated, payload);
    return view;
  }

  async list(user: AuthUser, query: NotificationsQuery): Promise<NotificationsPage> {
    const rows = await this.repo.findPage(user.id, query.before ?? null, query.limit, query.unread === 'true');
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      notifications: page.map(toNotificationView),
      unread: await this.repo.countUnread(user.id),
      nextBefore: rows.length > query.limit && last ? Number(last.id) : null,
    };
  }

  async markRead(user: AuthUser, ids: number[] | undefined): Promise<{ unread: number }> {
    await this.repo.markRead(user.id, ids ?? null);
    return { unread: await this.repo.countUnread(user.id) };
  }
}
