import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CommentStatus, ConsultationStatus, QuoteSelector, Role, StakeholderGroup } from '@forum/shared';
import type { DataSource, EntityManager } from 'typeorm';

type Db = DataSource | EntityManager;
/** Reads rows over a connection of the caller's (the relay reads over its own listening connection). */
export type RowReader = (sql: string, params: unknown[]) => Promise<unknown[]>;

/** A row of `comments` with its author joined (every read of comments returns this shape). */
export interface CommentRow {
  /** bigint, as pg returns it */
  id: string;
  consultation_id: string;
  item_id: string;
  item_number: number;
  clause_key: string | null;
  quote: QuoteSelector | null;
  parent_id: string | null;
  root_id: string;
  depth: number;
  author_id: string;
  body: string;
  status: CommentStatus;
  hidden_reason: string | null;
  created_at: Date;
  edited_at: Date | null;
  author_display_name: string;
  author_stakeholder_group: StakeholderGroup;
  author_organization: string | null;
  author_verified: boolean;
}

/** A comment as moderators judge it: the row, where it lives, and its author's role and suspension. */
export interface ModerationCommentRow extends CommentRow {
  consultation_slug: string;
  consultation_status: ConsultationStatus;
  author_role: Role;
  author_suspended_until: Date | null;
}

/** The consultation, item and clause texts a comment sits in (the moderation queue's context). */
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

export interface RevisionRow {
  /** bigint, as pg returns it */
  id: string;
  body: string;
  written_at: Date;
  replaced_at: Date;
}

export interface NewComment {
  consultationId: string;
  itemId: string;
  itemNumber: number;
  clauseKey: string | null;
  quote: QuoteSelector | null;
  parentId: number | null;
  rootId: number | null;
  depth: number;
  authorId: string;
  body: string;
}

/** The columns of a CommentRow (`comments c` joined with `users u`). */
const COLUMNS = `c.id, c.consultation_id, c.item_id, c.item_number, c.clause_key, c.quote, c.parent_id, c.root_id, c.depth,
  c.author_id, c.body, c.status, c.hidden_reason, c.created_at, c.edited_at,
  u.display_name AS author_display_name, u.stakeholder_group AS author_stakeholder_group,
  u.organization AS author_organization, u.verified AS author_verified`;

const MODERATION_COLUMNS = `${COLUMNS}, k.slug AS consultation_slug, k.status AS consultation_status,
  u.role AS author_role, u.suspended_until AS author_suspended_until`;

@Injectable()
export class DiscussionRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async findById(id: number, db: Db = this.db): Promise<CommentRow | null> {
    const rows: CommentRow[] = await db.query(`SELECT ${COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id WHERE c.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Several comments by id (in no particular order); ids that do not exist are left out. */
  async findByIds(ids: number[], read?: RowReader): Promise<CommentRow[]> {
    if (ids.length === 0) return [];
    const sql = `SELECT ${COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id WHERE c.id = ANY($1::bigint[])`;
    return (read ? read(sql, [ids]) : this.db.query(sql, [ids])) as Promise<CommentRow[]>;
  }

  /** The comment, locked until the transaction ends (whether it may be written to is TargetsService's to say). */
  async findForWrite(tx: EntityManager, id: number): Promise<CommentRow | null> {
    const rows: CommentRow[] = await tx.query(
      `SELECT ${COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id WHERE c.id = $1 FOR NO KEY UPDATE OF c`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * One page of an item's thread, oldest first, after the comment `afterId`, authors joined: one
   * range scan of comments_thread (or comments_clause_thread) plus a primary-key join per row.
   * Reads `limit + 1` rows so the caller knows whether another page follows.
   */
  findPage(consultationId: string, itemNumber: number, clauseKey: string | null, afterId: number, limit: number): Promise<CommentRow[]> {
    if (clauseKey === null) {
      return this.db.query(
        `SELECT ${COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id
          WHERE c.consultation_id = $1 AND c.item_number = $2 AND c.id > $3
          ORDER BY c.id LIMIT $4`,
        [consultationId, itemNumber, afterId, limit + 1],
      );
    }
    return this.db.query(
      `SELECT ${COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id
        WHERE c.consultation_id = $1 AND c.item_number = $2 AND c.clause_key = $3 AND c.id > $4
        ORDER BY c.id LIMIT $5`,
      [consultationId, itemNumber, clauseKey, afterId, limit + 1],
    );
  }

  /** Every comment of a consultation, by item then oldest first (exports, the report). */
  listByConsultation(consultationId: string): Promise<CommentRow[]> {
    return this.db.query(
      `SELECT ${COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id
        WHERE c.consultation_id = $1
        ORDER BY c.item_number, c.id`,
      [consultationId],
    );
  }

  /** Inserts a comment; a comment that replies to nothing is its own thread's root. */
  async insert(tx: EntityManager, c: NewComment): Promise<CommentRow> {
    const rows: CommentRow[] = await tx.query(
      `WITH next AS (SELECT nextval(pg_get_serial_sequence('comments', 'id')) AS id),
            ins AS (
              INSERT INTO comments (id, consultation_id, item_id, item_number, clause_key, quote, parent_id, root_id, depth, author_id, body)
              SELECT next.id, $1, $2, $3, $4, $5::jsonb, $6, coalesce($7, next.id), $8, $9, $10 FROM next
              RETURNING *)
       SELECT ${COLUMNS} FROM ins c JOIN users u ON u.id = c.author_id`,
      [c.consultationId, c.itemId, c.itemNumber, c.clauseKey, c.quote === null ? null : JSON.stringify(c.quote), c.parentId, c.rootId, c.depth, c.authorId, c.body],
    );
    return rows[0]!;
  }

  /** Keeps the current body as a revision and replaces it. */
  async updateBody(tx: EntityManager, current: Pick<CommentRow, 'id'>, body: string): Promise<CommentRow> {
    const rows: CommentRow[] = await tx.query(
      // Both statements see the row as it was before the update: the revision keeps the old body.
      `WITH rev AS (
              INSERT INTO comment_revisions (comment_id, body, written_at)
              SELECT id, body, coalesce(edited_at, created_at) FROM comments WHERE id = $1),
            upd AS (
              UPDATE comments SET body = $2, edited_at = now() WHERE id = $1 RETURNING *)
       SELECT ${COLUMNS} FROM upd c JOIN users u ON u.id = c.author_id`,
      [current.id, body],
    );
    return rows[0]!;
  }

  /** A soft delete: the row keeps its place in the thread (and its replies); its body is no longer shown. */
  async markDeleted(tx: EntityManager, id: string): Promise<CommentRow> {
    const rows: CommentRow[] = await tx.query(
      `WITH upd AS (UPDATE comments SET status = 'deleted', deleted_at = now() WHERE id = $1 RETURNING *)
       SELECT ${COLUMNS} FROM upd c JOIN users u ON u.id = c.author_id`,
      [id],
    );
    return rows[0]!;
  }

  /**
   * One page of a comment's revisions, oldest first, after the revision `afterId`: a range scan
   * of comment_revisions_comment. Reads `limit + 1` rows so the caller knows whether another page follows.
   */
  findRevisions(commentId: string, afterId: number, limit: number): Promise<RevisionRow[]> {
    return this.db.query(
      `SELECT id, body, written_at, replaced_at FROM comment_revisions WHERE comment_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
      [commentId, afterId, limit + 1],
    );
  }

  // --- for moderation (DiscussionService's moderation methods) ---------------------------------

  /** Comments with where they live and their author's role; with `lock` (inside a transaction), locked until it ends. */
  findForModeration(ids: string[], db: Db = this.db, lock = false): Promise<ModerationCommentRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return db.query(
      `SELECT ${MODERATION_COLUMNS}
         FROM comments c JOIN users u ON u.id = c.author_id JOIN consultations k ON k.id = c.consultation_id
        WHERE c.id = ANY($1::bigint[]) ${lock ? 'FOR NO KEY UPDATE OF c' : ''}`,
      [ids],
    );
  }

  /**
   * Sets a comment's status: hidden with its reason, or visible again (the reason cleared; the
   * moderation log keeps it). The comment_counts trigger follows the status.
   */
  async setModerationStatus(tx: EntityManager, id: string, status: Extract<CommentStatus, 'visible' | 'hidden'>, hiddenReason: string | null): Promise<CommentRow> {
    const rows: CommentRow[] = await tx.query(
      `WITH upd AS (UPDATE comments SET status = $2, hidden_reason = $3 WHERE id = $1 RETURNING *)
       SELECT ${COLUMNS} FROM upd c JOIN users u ON u.id = c.author_id`,
      [id, status, hiddenReason],
    );
    return rows[0]!;
  }

  /** The item, consultation and clause texts each comment sits in. */
  findContexts(commentIds: string[]): Promise<ContextRow[]> {
    if (commentIds.length === 0) return Promise.resolve([]);
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
}
