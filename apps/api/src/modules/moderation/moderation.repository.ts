import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FlagReason, ModerationAction, Role, StakeholderGroup } from '@forum/shared';
import type { DataSource, EntityManager } from 'typeorm';

/** A flagged comment's open flags, as the queue counts them (the comment itself is discussion's to read). */
export interface QueueRow {
  comment_id: string;
  flag_count: number;
  first_flagged_at: Date;
  last_flagged_at: Date;
}

export interface FlagRow {
  id: string;
  comment_id: string;
  reason: FlagReason;
  note: string | null;
  created_at: Date;
  resolution: 'hidden' | 'dismissed' | null;
  resolved_at: Date | null;
  flagger_id: string;
  flagger_display_name: string;
  flagger_stakeholder_group: StakeholderGroup;
  flagger_organization: string | null;
  flagger_verified: boolean;
}

export interface LogRow {
  id: string;
  at: Date;
  moderator_id: string;
  moderator_display_name: string;
  moderator_role: Role;
  action: ModerationAction;
  target_type: 'comment' | 'item' | 'user';
  consultation_slug: string | null;
  item_number: number | null;
  clause_key: string | null;
  comment_id: string | null;
  subject_user_id: string | null;
  subject_display_name: string | null;
  reason: string;
  until: Date | null;
}

export interface NewLogEntry {
  moderatorId: string;
  action: ModerationAction;
  targetType: 'comment' | 'item' | 'user';
  consultationId?: string | null;
  itemNumber?: number | null;
  clauseKey?: string | null;
  commentId?: string | null;
  subjectUserId?: string | null;
  reason: string;
  until?: Date | null;
}

const LOG_COLUMNS = `l.id, l.at, l.moderator_id, m.display_name AS moderator_display_name, m.role AS moderator_role,
  l.action, l.target_type, k.slug AS consultation_slug, l.item_number, l.clause_key, l.comment_id,
  l.subject_user_id, s.display_name AS subject_display_name, l.reason, l.until`;

/** The log (or rows just inserted into it) with the names its entries show. */
const logFrom = (table = 'moderation_log') => `${table} l
  JOIN users m ON m.id = l.moderator_id
  LEFT JOIN users s ON s.id = l.subject_user_id
  LEFT JOIN consultations k ON k.id = l.consultation_id`;
const LOG_FROM = logFrom();

/** Earlier actions about an author in their record: everything but dismissals (which are not about them). */
const HISTORY_ACTIONS = `l.action <> 'dismiss'`;

@Injectable()
export class ModerationRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  // --- flags ----------------------------------------------------------------------------------

  /** A participant's flag; null when they have flagged this comment before (one flag each). */
  async insertFlag(commentId: string, flaggerId: string, reason: FlagReason, note: string | null): Promise<{ id: string; created_at: Date } | null> {
    const rows: { id: string; created_at: Date }[] = await this.db.query(
      `INSERT INTO comment_flags (comment_id, flagger_id, reason, note) VALUES ($1, $2, $3, $4)
       ON CONFLICT ON CONSTRAINT comment_flags_one_per_participant DO NOTHING
       RETURNING id, created_at`,
      [commentId, flaggerId, reason, note],
    );
    return rows[0] ?? null;
  }

  /** Closes a comment's open flags with the action that settled them; answers how many. */
  async resolveFlags(tx: EntityManager, commentId: string, resolution: 'hidden' | 'dismissed', logId: string): Promise<number> {
    // (TypeORM answers a bare UPDATE … RETURNING as [rows, count]; a CTE answers plain rows.)
    const rows: { n: number }[] = await tx.query(
      `WITH upd AS (
         UPDATE comment_flags SET resolution = $2, resolved_at = now(), resolved_by_log = $3
          WHERE comment_id = $1 AND resolution IS NULL RETURNING id)
       SELECT count(*)::int AS n FROM upd`,
      [commentId, resolution, logId],
    );
    return rows[0]!.n;
  }

  /**
   * The queue: visible comments with open flags, most flagged first (then the longest waiting).
   * Comments of drafts only for administrators, who alone can see drafts. Comments and
   * consultations are joined here only to filter in the query that pages the flags; the
   * comments themselves are read through DiscussionService.
   */
  findQueue(limit: number, offset: number, includeDrafts: boolean): Promise<QueueRow[]> {
    return this.db.query(
      `WITH open AS (
         SELECT comment_id, count(*)::int AS flag_count, min(created_at) AS first_flagged_at, max(created_at) AS last_flagged_at
           FROM comment_flags WHERE resolution IS NULL GROUP BY comment_id)
       SELECT o.comment_id, o.flag_count, o.first_flagged_at, o.last_flagged_at
         FROM open o
         JOIN comments c ON c.id = o.comment_id
         JOIN consultations k ON k.id = c.consultation_id
        WHERE c.status = 'visible' AND ($3::boolean OR k.status <> 'draft')
        ORDER BY o.flag_count DESC, o.first_flagged_at, c.id
        LIMIT $1 OFFSET $2`,
      [limit, offset, includeDrafts],
    );
  }

  /** Flags of these comments, oldest first: only the open ones, or all. */
  findFlags(commentIds: string[], openOnly: boolean): Promise<FlagRow[]> {
    if (commentIds.length === 0) return Promise.resolve([]);
    return this.db.query(
      `SELECT f.id, f.comment_id, f.reason, f.note, f.created_at, f.resolution, f.resolved_at,
              u.id AS flagger_id, u.display_name AS flagger_display_name, u.stakeholder_group AS flagger_stakeholder_group,
              u.organization AS flagger_organization, u.verified AS flagger_verified
         FROM comment_flags f JOIN users u ON u.id = f.flagger_id
        WHERE f.comment_id = ANY($1::bigint[]) AND (NOT $2::boolean OR f.resolution IS NULL)
        ORDER BY f.comment_id, f.id`,
      [commentIds, openOnly],
    );
  }

  // --- the log --------------------------------------------------------------------------------

  /** Appends an entry (the only write the table accepts) and answers it as the log lists it. */
  async appendLog(tx: EntityManager, e: NewLogEntry): Promise<LogRow> {
    const rows: LogRow[] = await tx.query(
      `WITH ins AS (
         INSERT INTO moderation_log (moderator_id, action, target_type, consultation_id, item_number, clause_key, comment_id, subject_user_id, reason, until)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *)
       SELECT ${LOG_COLUMNS} FROM ${logFrom('ins')}`,
      [
        e.moderatorId,
        e.action,
        e.targetType,
        e.consultationId ?? null,
        e.itemNumber ?? null,
        e.clauseKey ?? null,
        e.commentId ?? null,
        e.subjectUserId ?? null,
        e.reason,
        e.until ?? null,
      ],
    );
    return rows[0]!;
  }

  /** The whole log, newest first, a page at a time. */
  findLog(before: number | null, limit: number): Promise<LogRow[]> {
    return this.db.query(
      `SELECT ${LOG_COLUMNS} FROM ${LOG_FROM}
        WHERE ($1::bigint IS NULL OR l.id < $1)
        ORDER BY l.id DESC LIMIT $2`,
      [before, limit],
    );
  }

  /**
   * One consultation's log, newest first: the actions on its comments and items, and every
   * suspension (a suspension bars a participant from writing in every consultation).
   */
  findConsultationLog(consultationId: string, before: number | null, limit: number): Promise<LogRow[]> {
    return this.db.query(
      `SELECT ${LOG_COLUMNS} FROM ${LOG_FROM}
        WHERE (l.consultation_id = $1 OR l.target_type = 'user') AND ($2::bigint IS NULL OR l.id < $2)
        ORDER BY l.id DESC LIMIT $3`,
      [consultationId, before, limit],
    );
  }

  /** Each author's record: the latest `perAuthor` actions concerning them, newest first. */
  findAuthorHistories(userIds: string[], perAuthor: number): Promise<LogRow[]> {
    if (userIds.length === 0) return Promise.resolve([]);
    return this.db.query(
      `SELECT * FROM (
         SELECT ${LOG_COLUMNS}, row_number() OVER (PARTITION BY l.subject_user_id ORDER BY l.id DESC) AS n
           FROM ${LOG_FROM}
          WHERE l.subject_user_id = ANY($1::uuid[]) AND ${HISTORY_ACTIONS}) h
        WHERE h.n <= $2
        ORDER BY h.subject_user_id, h.id DESC`,
      [userIds, perAuthor],
    );
  }

  /** Every action on one comment, newest first. */
  findCommentHistory(commentId: string): Promise<LogRow[]> {
    return this.db.query(`SELECT ${LOG_COLUMNS} FROM ${LOG_FROM} WHERE l.comment_id = $1 ORDER BY l.id DESC`, [commentId]);
  }
}
