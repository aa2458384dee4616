import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { StakeholderGroup, Stance } from '@forum/shared';
import type { DataSource, EntityManager } from 'typeorm';

type Db = DataSource | EntityManager;

/** `clause_key` in storage: '' stands for the item itself. */
export const ITEM_TARGET = '';

export interface PositionRow {
  id: string;
  item_number: number;
  clause_key: string;
  stance: Stance;
  reason: string | null;
  updated_at: Date;
}

export interface CountRow {
  group: StakeholderGroup;
  stance: Stance;
  n: number;
}

export interface DocumentCountRow extends CountRow {
  item_number: number;
  clause_key: string;
}

export interface CoverageRow {
  item_number: number;
  group: StakeholderGroup;
  n: number;
}

export interface PositionExportDbRow {
  display_name: string;
  stakeholder_group: StakeholderGroup;
  organization: string | null;
  verified: boolean;
  item_number: number;
  clause_key: string;
  stance: Stance;
  reason: string | null;
  updated_at: Date;
}

const POSITION_COLUMNS = `id, item_number, clause_key, stance, reason, updated_at`;

/**
 * Positions and the kept counts. The counts are moved by triggers (migration
 * 1764300300000-create-positions), so nothing here writes to them.
 */
@Injectable()
export class PositionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Inserts the position unless the participant already has one on the target (then: null). */
  async insertIfAbsent(
    tx: EntityManager,
    p: { consultationId: string; itemId: string; itemNumber: number; clauseKey: string; userId: string; stance: Stance; reason: string | null },
  ): Promise<PositionRow | null> {
    const rows: PositionRow[] = await tx.query(
      `INSERT INTO positions (consultation_id, item_id, item_number, clause_key, user_id, stakeholder_group, verified, stance, reason)
       VALUES ($1, $2, $3, $4, $5, '', false, $6, $7)
       ON CONFLICT ON CONSTRAINT positions_one_per_target DO NOTHING
       RETURNING ${POSITION_COLUMNS}`,
      [p.consultationId, p.itemId, p.itemNumber, p.clauseKey, p.userId, p.stance, p.reason],
    );
    return rows[0] ?? null;
  }

  /** The participant's position on the target, locked until commit. */
  async findForUpdate(tx: EntityManager, itemId: string, clauseKey: string, userId: string): Promise<PositionRow | null> {
    const rows: PositionRow[] = await tx.query(
      `SELECT ${POSITION_COLUMNS} FROM positions WHERE item_id = $1 AND clause_key = $2 AND user_id = $3 FOR UPDATE`,
      [itemId, clauseKey, userId],
    );
    return rows[0] ?? null;
  }

  async update(tx: EntityManager, id: string, stance: Stance, reason: string | null): Promise<PositionRow> {
    // TypeORM answers an UPDATE with [rows, rowCount].
    const [rows] = await tx.query(
      `UPDATE positions SET stance = $2, reason = $3, updated_at = now() WHERE id = $1 RETURNING ${POSITION_COLUMNS}`,
      [id, stance, reason],
    );
    return (rows as PositionRow[])[0]!;
  }

  async delete(tx: EntityManager, itemId: string, clauseKey: string, userId: string): Promise<PositionRow | null> {
    const [rows] = await tx.query(
      `DELETE FROM positions WHERE item_id = $1 AND clause_key = $2 AND user_id = $3 RETURNING ${POSITION_COLUMNS}`,
      [itemId, clauseKey, userId],
    );
    return (rows as PositionRow[])[0] ?? null;
  }

  findByParticipant(consultationId: string, userId: string): Promise<PositionRow[]> {
    return this.db.query(
      `SELECT ${POSITION_COLUMNS} FROM positions WHERE consultation_id = $1 AND user_id = $2 ORDER BY item_number, clause_key`,
      [consultationId, userId],
    );
  }

  /** Every target a participant has a position on, in lock order (consultation first). */
  targetsOfParticipant(tx: EntityManager, userId: string): Promise<{ consultation_id: string; item_number: number; clause_key: string }[]> {
    return tx.query(
      `SELECT consultation_id, item_number, clause_key FROM positions WHERE user_id = $1 ORDER BY consultation_id, item_number, clause_key`,
      [userId],
    );
  }

  /** The consultations a participant has positions in. */
  async consultationsOfParticipant(tx: EntityManager, userId: string): Promise<string[]> {
    const rows: { consultation_id: string }[] = await tx.query(`SELECT DISTINCT consultation_id FROM positions WHERE user_id = $1`, [userId]);
    return rows.map((r) => r.consultation_id);
  }

  /** The kept counts of one target: at most 4 groups × 2 × 4 stances rows, whatever the number of positions. */
  async targetCounts(consultationId: string, itemNumber: number, clauseKey: string, anyone: boolean, db: Db = this.db): Promise<CountRow[]> {
    const rows: { group: StakeholderGroup; stance: Stance; n: string }[] = await db.query(
      `SELECT stakeholder_group AS "group", stance, sum(n) AS n FROM tally_counts
        WHERE consultation_id = $1 AND item_number = $2 AND clause_key = $3 AND (verified OR $4)
        GROUP BY stakeholder_group, stance`,
      [consultationId, itemNumber, clauseKey, anyone],
    );
    return rows.map((r) => ({ group: r.group, stance: r.stance, n: Number(r.n) }));
  }

  /** The kept counts of every target of a consultation (bounded by the document's size, not by the positions). */
  async documentCounts(consultationId: string, anyone: boolean): Promise<DocumentCountRow[]> {
    const rows: { item_number: number; clause_key: string; group: StakeholderGroup; stance: Stance; n: string }[] = await this.db.query(
      `SELECT item_number, clause_key, stakeholder_group AS "group", stance, sum(n) AS n FROM tally_counts
        WHERE consultation_id = $1 AND (verified OR $2)
        GROUP BY item_number, clause_key, stakeholder_group, stance`,
      [consultationId, anyone],
    );
    return rows.map((r) => ({ ...r, n: Number(r.n) }));
  }

  async coverageCounts(consultationId: string, anyone: boolean): Promise<CoverageRow[]> {
    const rows: { item_number: number; group: StakeholderGroup; n: string }[] = await this.db.query(
      `SELECT item_number, stakeholder_group AS "group", sum(n) AS n FROM coverage_counts
        WHERE consultation_id = $1 AND (verified OR $2)
        GROUP BY item_number, stakeholder_group`,
      [consultationId, anyone],
    );
    return rows.map((r) => ({ ...r, n: Number(r.n) }));
  }

  /** Kept tally counts that differ from a count of the positions (participants' current group and verification). */
  recountTally(consultationId: string): Promise<
    { item_number: number; clause_key: string; group: string; verified: boolean; stance: string; kept: number; actual: number }[]
  > {
    return this.db.query(
      `WITH actual AS (
         SELECT p.item_number, p.clause_key, u.stakeholder_group AS "group", u.verified, p.stance, count(*)::int AS n
           FROM positions p JOIN users u ON u.id = p.user_id
          WHERE p.consultation_id = $1
          GROUP BY 1, 2, 3, 4, 5
       ), kept AS (
         SELECT item_number, clause_key, stakeholder_group AS "group", verified, stance, n
           FROM tally_counts WHERE consultation_id = $1 AND n <> 0
       )
       SELECT coalesce(a.item_number, k.item_number) AS item_number, coalesce(a.clause_key, k.clause_key) AS clause_key,
              coalesce(a."group", k."group") AS "group", coalesce(a.verified, k.verified) AS verified,
              coalesce(a.stance, k.stance) AS stance, coalesce(k.n, 0) AS kept, coalesce(a.n, 0) AS actual
         FROM actual a FULL JOIN kept k USING (item_number, clause_key, "group", verified, stance)
        WHERE coalesce(a.n, 0) <> coalesce(k.n, 0)
        ORDER BY 1, 2, 3, 4, 5`,
      [consultationId],
    );
  }

  recountCoverage(consultationId: string): Promise<{ item_number: number; group: string; verified: boolean; kept: number; actual: number }[]> {
    return this.db.query(
      `WITH actual AS (
         SELECT p.item_number, u.stakeholder_group AS "group", u.verified, count(DISTINCT p.user_id)::int AS n
           FROM positions p JOIN users u ON u.id = p.user_id
          WHERE p.consultation_id = $1
          GROUP BY 1, 2, 3
       ), kept AS (
         SELECT item_number, stakeholder_group AS "group", verified, n
           FROM coverage_counts WHERE consultation_id = $1 AND n <> 0
       )
       SELECT coalesce(a.item_number, k.item_number) AS item_number, coalesce(a."group", k."group") AS "group",
              coalesce(a.verified, k.verified) AS verified, coalesce(k.n, 0) AS kept, coalesce(a.n, 0) AS actual
         FROM actual a FULL JOIN kept k USING (item_number, "group", verified)
        WHERE coalesce(a.n, 0) <> coalesce(k.n, 0)
        ORDER BY 1, 2, 3`,
      [consultationId],
    );
  }

  async countPositions(consultationId: string): Promise<number> {
    const rows = await this.db.query(`SELECT count(*)::int AS n FROM positions WHERE consultation_id = $1`, [consultationId]);
    return rows[0].n;
  }

  /** Every position of a consultation with its participant's public profile (never the e-mail address). */
  positionsForExport(consultationId: string): Promise<PositionExportDbRow[]> {
    return this.db.query(
      `SELECT u.display_name, u.stakeholder_group, u.organization, u.verified,
              p.item_number, p.clause_key, p.stance, p.reason, p.updated_at
         FROM positions p JOIN users u ON u.id = p.user_id
        WHERE p.consultation_id = $1
        ORDER BY p.item_number, p.clause_key <> '', length(p.clause_key), p.clause_key, p.updated_at, p.id`,
      [consultationId],
    );
  }
}
