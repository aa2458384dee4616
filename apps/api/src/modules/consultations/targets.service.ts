import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { clauseKeyProblem } from '@forum/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { canSeeConsultation, isSuspended, type AuthUser } from '../../common/auth/auth-user.js';
import { badInput, forbidden, locked, notFound, unauthenticated } from '../../common/errors/domain-error.js';
import type { ConsultationRow } from './consultations.repository.js';

type Db = DataSource | EntityManager;

/** A consultation named by its slug (routes) or its id (a comment's, a subscription's). */
export type ConsultationRef = { slug: string } | { id: string };

export interface TargetQuery {
  /** The item, by number: 404 "item not found" when the consultation has none. */
  item?: number;
  /** A clause of that item: 400 naming `clauseField` when malformed, of another item, or absent. */
  clause?: string | null;
  /** The request field a clause problem names (`clause` in a query, `clauseKey` in a body). */
  clauseField?: string;
  /** What a 404 names when the consultation may not be seen (e.g. `comment` for a route by comment id). */
  missing?: string;
}

export interface ItemRef {
  id: string;
  number: number;
  locked: boolean;
}

export interface ClauseRef {
  key: string;
  text: { zh: string; en: string };
}

export interface Target<Q extends TargetQuery = TargetQuery> {
  consultation: ConsultationRow;
  item: Q extends { item: number } ? ItemRef : ItemRef | null;
  clause: Q extends { clause: string } ? ClauseRef : ClauseRef | null;
}

interface TargetRow extends ConsultationRow {
  t_item_id: string | null;
  t_item_number: number | null;
  t_item_locked: boolean | null;
  t_clause_key: string | null;
  t_clause_zh: string | null;
  t_clause_en: string | null;
}

/** The one wording of the write check's refusals. */
export const WRITE_REFUSED = {
  suspended: 'your account is suspended: you can read but not write',
  notOpen: (status: string) => `the consultation is ${status === 'draft' ? 'not open yet' : status}: nothing can be written to it now`,
  locked: (item: number) => `the item is locked (item ${item}): nothing can be written to it now`,
} as const;

/**
 * The two rules every module asks before it reads or writes something of a consultation:
 *
 * - the readable target: the consultation (by slug or id), visible to this viewer (drafts for
 *   administrators only, everyone else is told 404), the item, the clause of that item — else
 *   404 (consultation, item) or 400 naming the field (a clause);
 * - the write check: signed in, not suspended (403), the consultation open and the item not
 *   locked (423). Called inside the write's transaction (ConsultationWrites.run holds the
 *   consultation's counter from its first statement; closing and locking take the same lock),
 *   so what it read still holds when the write commits.
 *
 * Discussion, positions, moderation, reports and the live gateway use these and nothing else.
 */
@Injectable()
export class TargetsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async readableTarget<Q extends TargetQuery>(ref: ConsultationRef, q: Q, viewer: AuthUser | null | undefined, db: Db = this.db): Promise<Target<Q>> {
    const item = q.item ?? null;
    const clause = q.clause ?? null;
    const byId = 'id' in ref;
    const rows: TargetRow[] = await db.query(
      `SELECT c.*, i.id AS t_item_id, i.number AS t_item_number, i.locked AS t_item_locked,
              cl.key AS t_clause_key, cl.text_zh AS t_clause_zh, cl.text_en AS t_clause_en
         FROM consultations c
         LEFT JOIN items i ON i.consultation_id = c.id AND i.number = $2::int
         LEFT JOIN clauses cl ON cl.item_id = i.id AND cl.key = $3::text
        WHERE ${byId ? 'c.id = $1::uuid' : 'c.slug = $1'}`,
      [byId ? ref.id : ref.slug, item, clause],
    );
    const row = rows[0];
    if (!row || !canSeeConsultation(row.status, viewer)) throw notFound(q.missing ?? 'consultation');
    if (item !== null && row.t_item_id === null) throw notFound(q.missing ?? 'item');
    const { t_item_id, t_item_number, t_item_locked, t_clause_key, t_clause_zh, t_clause_en, ...consultation } = row;
    const itemRef = t_item_id === null ? null : { id: t_item_id, number: t_item_number!, locked: t_item_locked === true };
    let clauseRef: ClauseRef | null = null;
    if (clause !== null) {
      const field = q.clauseField ?? 'clause';
      const problem = clauseKeyProblem(clause, item ?? Number.NaN);
      if (problem) throw badInput(field, problem);
      if (t_clause_key === null) throw badInput(field, noSuchClause(item!, clause));
      clauseRef = { key: t_clause_key, text: { zh: t_clause_zh!, en: t_clause_en! } };
    }
    return { consultation, item: itemRef, clause: clauseRef } as Target<Q>;
  }

  /** The readable target, then the write check on it: call it inside the write's transaction. */
  async writableTarget<Q extends TargetQuery>(tx: EntityManager, ref: ConsultationRef, q: Q, user: AuthUser | undefined): Promise<Target<Q>> {
    const target = await this.readableTarget(ref, q, user, tx);
    this.checkWrite(user, target);
    return target;
  }

  /**
   * The write check: signed in, not suspended, and — given a target read in the write's
   * transaction — the consultation open and the item not locked. Without a target only the
   * person is checked (a flag may be raised after the discussion stops).
   */
  checkWrite(user: AuthUser | undefined, target?: Pick<Target, 'consultation' | 'item'>): asserts user is AuthUser {
    if (!user) throw unauthenticated();
    if (isSuspended(user)) throw forbidden(WRITE_REFUSED.suspended);
    if (!target) return;
    if (target.consultation.status !== 'open') throw locked(WRITE_REFUSED.notOpen(target.consultation.status));
    if (target.item?.locked) throw locked(WRITE_REFUSED.locked(target.item.number));
  }

  /** A clause of an item known to exist (when the clause is learnt late, e.g. from a reply's parent): 400 naming `field` otherwise. */
  async clauseOf(item: Pick<ItemRef, 'id' | 'number'>, key: string, field: string, db: Db = this.db): Promise<ClauseRef> {
    const problem = clauseKeyProblem(key, item.number);
    if (problem) throw badInput(field, problem);
    const rows: { zh: string; en: string }[] = await db.query(`SELECT text_zh AS zh, text_en AS en FROM clauses WHERE item_id = $1 AND key = $2`, [item.id, key]);
    if (!rows[0]) throw badInput(field, noSuchClause(item.number, key));
    return { key, text: rows[0] };
  }
}

function noSuchClause(item: number, key: string): string {
  return `item ${item} has no clause ${key}`;
}
