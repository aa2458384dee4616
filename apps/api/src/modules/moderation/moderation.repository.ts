import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CommentStatus, ConsultationStatus, FlagReason, ModerationAction, Role, StakeholderGroup } from '@forum/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { COLUMNS, type CommentRow } from '../discussion/discussion.repository.js';

/** A comment as moderation reads it: the discussion's row, where it lives, and its author's role. */
export interface ModerationCommentRow extends CommentRow {
  consultation_slug: string;
  consultation_status: ConsultationStatus;
  author_role: Role;
  author_suspended_until: Date | null;
}

/** A comment with its open flags and its context, as the queue lists it. */
export interface QueueRow extends ModerationCommentRow {
  flag_count: number;
  first_flagged_at: Date;
  last_flagged_at: Date;
}

export interface ContextRow {
  comment_id: string;
  consultation_title_zh: string;
  consultation_title_en: string;
  item_title_zh: string;
  item_title_en: string;
  item_locked: boolean;
  clause_text_zh: string | null;
  clause_text_en: string | null;
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

export interface ItemForLock {
  consultation_id: string;
  consultation_status: ConsultationStatus;
  item_id: string;
  locked: boolean;
}

export interface UserForSuspension {
  id: string;
  role: Role;
  display_name: string;
  stakeholder_group: StakeholderGroup;
  organization: string | null;
  suspended_until: Date | null;
}

const MODERATION_COLUMNS = `${COLUMNS}, k.slug AS consultation_slug, k.status AS consultation_status,
  u.role AS author_role, u.suspended_until AS author_suspended_until`;

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

  // --- comments -------------------------------------------------------------------------------

  /** The comment, where it lives and its author's role; inside a transaction, locked until it ends. */
  async findComment(id: number, tx?: EntityManager): Promise<ModerationCommentRow | null> {
    const rows: ModerationCommentRow[] = await (tx ?? this.db).query(
      `SELECT ${MODERATION_COLUMNS}
         FROM comments c JOIN users u ON u.id = c.author_id JOIN consultations k ON k.id = c.consultation_id
        WHERE c.id = $1 ${tx ? 'FOR NO KEY UPDATE OF c' : ''}`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * Sets a comment's status: hidden with its reason, or visible again (the reason cleared; the
   * log keeps it). The comment_counts trigger follows the status.
   */
  async setCommentStatus(tx: EntityManager, id: string, status: Extract<CommentStatus, 'visible' | 'hidden'>, hiddenReason: string | null): Promise<CommentRow> {
    const rows: CommentRow[] = await tx.query(
      `WITH upd AS (UPDATE comments SET status = $2, hidden_reason = $3 WHERE id = $1 RETURNING *)
       SELECT ${COLUMNS} FROM upd c JOIN users u ON u.id = c.author_id`,
      [id, status, hiddenReason],
    );
    return rows[0]!;
  }

  /** Several comments by id (parents for the queue's context). */
  async findCommentsByIds(ids: string[]): Promise<ModerationCommentRow[]> {
    if (ids.length === 0) return [];
    return this.db.query(
      `SELECT ${MODERATION_COLUMNS}
         FROM comments c JOIN users u ON u.id = c.author_id JOIN consultations k ON k.id = c.consultation_id
        WHERE c.id = ANY($1::bigint[])`,
      [ids],
    );
  }

  /** The item, consultation and clause texts each comment sits in. */
  async findContexts(commentIds: string[]): Promise<ContextRow[]> {
    if (commentIds.length === 0) return [];
    return this.db.query(
      `SELECT c.id AS comment_id, k.title_zh AS consultation_title_zh, k.title_en AS consultation_title_en,
              i.title_zh AS item_title_zh, i.title_en AS item_title_en, i.locked AS item_locked,
              cl.text_zh AS clause_text_zh, cl.text_en AS clause_text_en
         FROM comments c
         JOIN consultations k ON k.id = c.consultation_id
         JOIN items i ON i.id = c.item_id
         LEFT JOIN clauses cl ON cl.item_id = c.item_id AND cl.key = c.clause_key
        WHERE c.id = ANY($1::bigint[])`,
      [commentIds],
    );
  }

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
   * Comments of drafts only for administrators, who alone can see drafts.
   */
  findQueue(limit: number, offset: number, includeDrafts: boolean): Promise<QueueRow[]> {
    return this.db.query(
      `WITH open AS (
         SELECT comment_id, count(*)::int AS flag_count, min(created_at) AS first_flagged_at, max(created_at) AS last_flagged_at
           FROM comment_flags WHERE resolution IS NULL GROUP BY comment_id)
       SELECT ${MODERATION_COLUMNS}, o.flag_count, o.first_flagged_at, o.last_flagged_at
         FROM open o
         JOIN comments c ON c.id = o.comment_id
         JOIN users u ON u.id = c.author_id
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

  // --- items and users ------------------------------------------------------------------------

  /** The item to lock or unlock, its row locked until the transaction ends; null when there is no such item. */
  async findItemForLock(tx: EntityManager, slug: string, itemNumber: number): Promise<ItemForLock | null> {
    const rows: ItemForLock[] = await tx.query(
      `SELECT c.id AS consultation_id, c.status AS consultation_status, i.id AS item_id, i.locked
         FROM consultations c JOIN items i ON i.consultation_id = c.id
        WHERE c.slug = $1 AND i.number = $2
          FOR NO KEY UPDATE OF i`,
      [slug, itemNumber],
    );
    return rows[0] ?? null;
  }

  async setItemLocked(tx: EntityManager, itemId: string, locked: boolean): Promise<void> {
    await tx.query(`UPDATE items SET locked = $2 WHERE id = $1`, [itemId, locked]);
  }

  async findUserForSuspension(tx: EntityManager, id: string): Promise<UserForSuspension | null> {
    const rows: UserForSuspension[] = await tx.query(
      `SELECT id, role, display_name, stakeholder_group, organization, suspended_until FROM users WHERE id = $1 FOR NO KEY UPDATE`,
      [id],
    );
    return rows[0] ?? null;
  }

  async setSuspendedUntil(tx: EntityManager, id: string, until: Date | null): Promise<UserForSuspension> {
    const rows: UserForSuspension[] = await tx.query(
      `WITH upd AS (UPDATE users SET suspended_until = $2 WHERE id = $1 RETURNING *)
       SELECT id, role, display_name, stakeholder_group, organization, suspended_until FROM upd`,
      [id, until],
    );
    return rows[0]!;
  }

  async findConsultation(slug: string): Promise<{ id: string; status: ConsultationStatus } | null> {
    const rows: { id: string; status: ConsultationStatus }[] = await this.db.query(`SELECT id, status FROM consultations WHERE slug = $1`, [slug]);
    return rows[0] ?? null;
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
