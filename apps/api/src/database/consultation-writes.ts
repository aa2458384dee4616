import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { pgCode, PG } from '../database/transaction.js';

type Work<T> = (tx: EntityManager) => Promise<T>;

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
 * Every write that appends to a consultation's outbox goes through here.
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

  /** Locks the counters of several consultations, in a fixed order, at the start of a transaction. */
  static async lockCounters(tx: EntityManager, consultationIds: string[]): Promise<void> {
    if (consultationIds.length === 0) return;
    await tx.query(`SELECT 1 FROM consultations WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`, [consultationIds]);
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
          await ConsultationWrites.lockCounters(tx, [consultationId]);
          if (batch.length === 1) {
            // Alone, a write needs no savepoint: its error rolls the transaction back.
            outcomes.push({ ok: true, value: await batch[0]!.work(tx) });
            return;
          }
          for (const [i, job] of batch.entries()) outcomes.push(await this.inSavepoint(tx, job.work, i > 0));
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
    work: Work<unknown>,
    afterAnother: boolean,
  ): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }> {
    await tx.query(afterAnother ? 'RELEASE SAVEPOINT write; SAVEPOINT write' : 'SAVEPOINT write');
    for (let attempt = 1; ; attempt++) {
      try {
        return { ok: true, value: await work(tx) };
      } catch (error) {
        // A refused write (or a failed statement) is undone alone; the others stay.
        await tx.query('ROLLBACK TO SAVEPOINT write');
        if (attempt < ATTEMPTS && RETRYABLE.has(pgCode(error) ?? '')) continue;
        return { ok: false, error };
      }
    }
  }
}
