import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { TallyView } from '@forum/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { pgCode, PG } from './transaction.js';

/**
 * What the outbox stores for each live event (`seq` is added by the append). A comment event
 * carries the comment's id only, never its text: the text is read when the event is delivered
 * or replayed and passes the one visibility rule then, so a later hide or delete takes it out
 * of every replay too (realtime/event-renderer.ts).
 */
export interface StoredPayloads {
  'comment.created': { commentId: number };
  'comment.updated': { commentId: number };
  'comment.deleted': { commentId: number };
  'comment.hidden': { commentId: number };
  'comment.restored': { commentId: number };
  'tally.updated': { tally: TallyView };
  'item.locked': { item: number; locked: boolean };
  'consultation.updated': { status: string };
}
export type StoredEventName = keyof StoredPayloads;

export interface NewEvent<E extends StoredEventName = StoredEventName> {
  itemNumber: number | null;
  type: E;
  payload: StoredPayloads[E];
}

/**
 * The outbox, as a write sees it: it appends to the consultations whose counters its
 * transaction holds, and to no other (so events are numbered in commit order, without gaps).
 */
export interface Outbox {
  append<E extends StoredEventName>(consultationId: string, itemNumber: number | null, type: E, payload: StoredPayloads[E]): Promise<number>;
  appendMany(consultationId: string, events: NewEvent[]): Promise<number[]>;
}

export type Work<T> = (tx: EntityManager, outbox: Outbox) => Promise<T>;

interface Job {
  work: Work<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** Writes that one shared transaction carries at most. */
const MAX_BATCH = 64;
const ATTEMPTS = 3;
const RETRYABLE = new Set<string>([PG.deadlockDetected, PG.serializationFailure]);

/**
 * The write unit: every write that a viewer must see goes through here, and this is the only
 * place that appends to the outbox (`events`).
 *
 * The gap-free `seq` makes writers of one consultation take turns on its counter row, which
 * each holds until its commit is on disk; one at a time, a consultation could take no more
 * writes per second than the disk has flushes. So the writes that queue while a transaction is
 * committing are carried together by the next one (group commit): one lock, one flush, each
 * write in a savepoint of its own so that one refused write does not touch the others, and each
 * caller answered once the shared commit is durable.
 *
 * Every transaction here takes the counter lock first, before any row of the write, so writers
 * of one consultation always lock in the same order. A transaction that writes to several
 * consultations takes their counters first, in id order (lockCounters).
 */
@Injectable()
export class ConsultationWrites {
  private readonly queues = new Map<string, Job[]>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Runs `work` in a transaction that holds the consultation's counter; resolves after commit. */
  run<T>(consultationId: string, work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const job: Job = { work, resolve: resolve as (v: unknown) => void, reject };
      const queue = this.queues.get(consultationId);
      if (queue) {
        queue.push(job);
        return;
      }
      this.queues.set(consultationId, [job]);
      void this.drain(consultationId);
    });
  }

  /**
   * One transaction over several consultations (a participant's verification or group change
   * moves counts in every consultation they took positions in): `lock` names them, and their
   * counters are taken first, in id order, before `work` runs; `work` may append to those only.
   */
  async runAcross<T>(lock: (tx: EntityManager) => Promise<string[]>, work: Work<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      const ids = [...new Set(await lock(tx))];
      await lockCounters(tx, ids);
      return work(tx, outboxOf(tx, new Set(ids)));
    });
  }

  private async drain(consultationId: string): Promise<void> {
    const queue = this.queues.get(consultationId)!;
    while (queue.length > 0) {
      const batch = queue.splice(0, MAX_BATCH);
      await this.commitBatch(consultationId, batch);
    }
    this.queues.delete(consultationId);
  }

  private async commitBatch(consultationId: string, batch: Job[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
      try {
        await this.db.transaction(async (tx) => {
          outcomes = [];
          await lockCounters(tx, [consultationId]);
          const outbox = outboxOf(tx, new Set([consultationId]));
          if (batch.length === 1) {
            // Alone, a write needs no savepoint: its error rolls the transaction back.
            outcomes.push({ ok: true, value: await batch[0]!.work(tx, outbox) });
            return;
          }
          for (const [i, job] of batch.entries()) outcomes.push(await this.inSavepoint(tx, outbox, job.work, i > 0));
        });
      } catch (err) {
        if (attempt < ATTEMPTS && RETRYABLE.has(pgCode(err) ?? '')) continue;
        for (const job of batch) job.reject(err);
        return;
      }
      batch.forEach((job, i) => {
        const o = outcomes[i]!;
        if (o.ok) job.resolve(o.value);
        else job.reject(o.error);
      });
      return;
    }
  }

  /**
   * A write in a savepoint of its own. Each round trip here is made while the counter is held, so
   * between two writes one round trip both releases the previous write's savepoint and takes this
   * one's (a simple-protocol query of two statements); the last savepoint is released by COMMIT.
   * ROLLBACK TO keeps the savepoint, so a retry starts from it again.
   */
  private async inSavepoint(
    tx: EntityManager,
    outbox: Outbox,
    work: Work<unknown>,
    afterAnother: boolean,
  ): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }> {
    await tx.query(afterAnother ? 'RELEASE SAVEPOINT write; SAVEPOINT write' : 'SAVEPOINT write');
    for (let attempt = 1; ; attempt++) {
      try {
        return { ok: true, value: await work(tx, outbox) };
      } catch (error) {
        // A refused write (or a failed statement) is undone alone; the others stay.
        await tx.query('ROLLBACK TO SAVEPOINT write');
        if (attempt < ATTEMPTS && RETRYABLE.has(pgCode(error) ?? '')) continue;
        return { ok: false, error };
      }
    }
  }
}

/** Takes the counters of several consultations, in a fixed order (every writer's lock order). */
async function lockCounters(tx: EntityManager, consultationIds: string[]): Promise<void> {
  if (consultationIds.length === 0) return;
  await tx.query(`SELECT 1 FROM consultations WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`, [consultationIds]);
}

/**
 * The outbox of a transaction that holds the counters of `held`. The counter row stays locked
 * until commit, so `seq` is gap-free and commits happen in `seq` order; the AFTER INSERT
 * trigger NOTIFYs every process's relay once the transaction commits.
 */
function outboxOf(tx: EntityManager, held: ReadonlySet<string>): Outbox {
  const assertHeld = (consultationId: string) => {
    if (!held.has(consultationId)) throw new Error(`an event for consultation ${consultationId} outside the write that holds its counter`);
  };
  return {
    async append(consultationId, itemNumber, type, payload) {
      assertHeld(consultationId);
      // One statement, so one round trip while the counter row is locked. `seq` goes into the
      // payload in SQL.
      const rows: { seq: string }[] = await tx.query(
        `WITH counter AS (UPDATE consultations SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq)
         INSERT INTO events (consultation_id, seq, item_number, type, payload)
         SELECT $1, counter.last_seq, $2, $3, jsonb_build_object('seq', counter.last_seq) || $4::jsonb FROM counter
         RETURNING seq`,
        [consultationId, itemNumber, type, JSON.stringify(payload)],
      );
      if (!rows[0]) throw new Error(`no consultation ${consultationId} to append an event to`);
      return Number(rows[0].seq);
    },
    async appendMany(consultationId, events) {
      assertHeld(consultationId);
      if (events.length === 0) return [];
      const rows: { seq: string }[] = await tx.query(
        `WITH counter AS (UPDATE consultations SET last_seq = last_seq + $2 WHERE id = $1 RETURNING last_seq)
         INSERT INTO events (consultation_id, seq, item_number, type, payload)
         SELECT $1, s.seq, e.item_number, e.type, jsonb_build_object('seq', s.seq) || e.payload
           FROM counter,
                unnest($3::int[], $4::text[], $5::jsonb[]) WITH ORDINALITY AS e(item_number, type, payload, ord),
                LATERAL (SELECT counter.last_seq - $2 + e.ord AS seq) s
         RETURNING seq`,
        [
          consultationId,
          events.length,
          events.map((e) => e.itemNumber),
          events.map((e) => e.type),
          events.map((e) => JSON.stringify(e.payload)),
        ],
      );
      if (rows.length !== events.length) throw new Error(`no consultation ${consultationId} to append events to`);
      return rows.map((r) => Number(r.seq)).sort((a, b) => a - b);
    },
  };
}
