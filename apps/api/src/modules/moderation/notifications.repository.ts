import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { NotificationType, NotificationView } from '@forum/shared';
import type { DataSource, EntityManager } from 'typeorm';

export interface NotificationRow {
  id: string;
  user_id: string;
  type: NotificationType;
  reason: string;
  comment: NotificationView['comment'];
  until: Date | null;
  created_at: Date;
  read_at: Date | null;
}

export interface NewNotification {
  userId: string;
  type: NotificationType;
  logId: string;
  reason: string;
  comment?: NotificationView['comment'];
  until?: Date | null;
}

const COLUMNS = 'id, user_id, type, reason, comment, until, created_at, read_at';

@Injectable()
export class NotificationsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(tx: EntityManager, n: NewNotification): Promise<NotificationRow> {
    const rows: NotificationRow[] = await tx.query(
      `INSERT INTO notifications (user_id, type, log_id, reason, comment, until) VALUES ($1, $2, $3, $4, $5::jsonb, $6) RETURNING ${COLUMNS}`,
      [n.userId, n.type, n.logId, n.reason, n.comment ? JSON.stringify(n.comment) : null, n.until ?? null],
    );
    return rows[0]!;
  }

  /** A personal live event, announced to the relays when the transaction commits (user_events trigger). */
  async insertUserEvent(tx: EntityManager, userId: string, type: string, payload: object): Promise<void> {
    await tx.query(`INSERT INTO user_events (user_id, type, payload) VALUES ($1, $2, $3::jsonb)`, [userId, type, JSON.stringify(payload)]);
  }

  /** A page of a user's notifications, newest first; reads `limit + 1` so the caller knows whether more follow. */
  findPage(userId: string, before: number | null, limit: number, unreadOnly: boolean): Promise<NotificationRow[]> {
    return this.db.query(
      `SELECT ${COLUMNS} FROM notifications
        WHERE user_id = $1 AND ($2::bigint IS NULL OR id < $2) AND (NOT $3::boolean OR read_at IS NULL)
        ORDER BY id DESC LIMIT $4`,
      [userId, before, unreadOnly, limit + 1],
    );
  }

  async countUnread(userId: string): Promise<number> {
    const rows: { n: number }[] = await this.db.query(`SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL`, [userId]);
    return rows[0]!.n;
  }

  /** Marks the user's notifications read: these ids (others' ids are ignored), or all. */
  async markRead(userId: string, ids: number[] | null): Promise<void> {
    await this.db.query(
      `UPDATE notifications SET read_at = now()
        WHERE user_id = $1 AND read_at IS NULL AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))`,
      [userId, ids],
    );
  }
}
