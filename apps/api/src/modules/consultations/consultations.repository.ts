import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ConsultationStatus } from '@forum/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { ImportedDocument } from './importer.js';

export interface ConsultationRow {
  id: string;
  slug: string;
  title_zh: string;
  title_en: string;
  source_zh: string;
  source_en: string;
  status: ConsultationStatus;
  opens_at: Date | null;
  closes_at: Date | null;
  /** bigint, as pg returns it: the seq of the consultation's latest event, bumped by every change a viewer could see. */
  last_seq: string;
}

export interface ItemRow {
  id: string;
  number: number;
  title_zh: string;
  title_en: string;
  locked: boolean;
  comment_count: number;
}

export interface ClauseRow {
  item_number: number;
  key: string;
  position: number;
  paragraph: number;
  text_zh: string;
  text_en: string;
  comment_count: number;
}

@Injectable()
export class ConsultationsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  listConsultations(): Promise<ConsultationRow[]> {
    return this.db.query(`SELECT * FROM consultations ORDER BY created_at`);
  }

  async findBySlug(slug: string, tx: EntityManager | DataSource = this.db): Promise<ConsultationRow | null> {
    const rows: ConsultationRow[] = await tx.query(`SELECT * FROM consultations WHERE slug = $1`, [slug]);
    return rows[0] ?? null;
  }

  /**
   * Comment counts come from comment_counts, kept by a trigger on comments (migration
   * create-comments): visible comments only — hidden and deleted ones keep their place in the
   * thread but are not counted. An item counts every comment of its thread whatever the anchor
   * (its rows include clause_key '' for comments on the whole item).
   */
  findItems(consultationId: string): Promise<ItemRow[]> {
    return this.db.query(
      `SELECT i.id, i.number, i.title_zh, i.title_en, i.locked,
              coalesce((SELECT sum(cc.visible) FROM comment_counts cc WHERE cc.item_id = i.id), 0)::int AS comment_count
         FROM items i WHERE i.consultation_id = $1 ORDER BY i.number`,
      [consultationId],
    );
  }

  /** A clause counts the visible comments anchored to it or quoting it, replies in its threads included. */
  findClauses(consultationId: string): Promise<ClauseRow[]> {
    return this.db.query(
      `SELECT i.number AS item_number, c.key, c.position, c.paragraph, c.text_zh, c.text_en, coalesce(cc.visible, 0) AS comment_count
         FROM clauses c JOIN items i ON i.id = c.item_id
         LEFT JOIN comment_counts cc ON cc.item_id = c.item_id AND cc.clause_key = c.key
        WHERE i.consultation_id = $1
        ORDER BY i.number, c.position`,
      [consultationId],
    );
  }

  async insertDocument(tx: EntityManager, slug: string, doc: ImportedDocument, status: ConsultationStatus): Promise<string> {
    const [row] = await tx.query(
      `INSERT INTO consultations (slug, title_zh, title_en, source_zh, source_en, status, opens_at)
       VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $6 = 'open' THEN now() END) RETURNING id`,
      [slug, doc.title.zh, doc.title.en, doc.source.zh, doc.source.en, status],
    );
    const consultationId: string = row.id;
    for (const item of doc.items) {
      const [itemRow] = await tx.query(
        `INSERT INTO items (consultation_id, number, title_zh, title_en) VALUES ($1, $2, $3, $4) RETURNING id`,
        [consultationId, item.number, item.title.zh, item.title.en],
      );
      if (item.clauses.length === 0) continue;
      await tx.query(
        `INSERT INTO clauses (item_id, key, position, paragraph, text_zh, text_en)
         SELECT $1, * FROM unnest($2::text[], $3::int[], $4::int[], $5::text[], $6::text[])`,
        [
          itemRow.id,
          item.clauses.map((c) => c.key),
          item.clauses.map((c) => c.position),
          item.clauses.map((c) => c.paragraph),
          item.clauses.map((c) => c.text.zh),
          item.clauses.map((c) => c.text.en),
        ],
      );
    }
    return consultationId;
  }

  findStatuses(ids: string[], db: EntityManager | DataSource = this.db): Promise<{ id: string; status: ConsultationStatus }[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return db.query(`SELECT id, status FROM consultations WHERE id = ANY($1::uuid[])`, [ids]);
  }

  async setItemLocked(tx: EntityManager, itemId: string, locked: boolean): Promise<boolean> {
    const rows: unknown[] = await tx.query(`WITH upd AS (UPDATE items SET locked = $2 WHERE id = $1 AND locked <> $2 RETURNING 1) SELECT * FROM upd`, [itemId, locked]);
    return rows.length > 0;
  }

  async setStatus(tx: EntityManager, id: string, status: ConsultationStatus): Promise<ConsultationRow> {
    const [rows] = await tx.query(
      `UPDATE consultations
          SET status = $2,
              opens_at = CASE WHEN $2 = 'open' AND opens_at IS NULL THEN now() ELSE opens_at END,
              closes_at = CASE WHEN $2 = 'closed' THEN now() WHEN $2 = 'open' THEN NULL ELSE closes_at END
        WHERE id = $1 RETURNING *`,
      [id, status],
    );
    return rows[0];
  }
}
