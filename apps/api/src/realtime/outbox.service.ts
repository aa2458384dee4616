import { Injectable } from '@nestjs/common';
import type { SequencedEventName, SequencedPayloads } from '@forum/shared';
import type { EntityManager } from 'typeorm';

type PayloadWithoutSeq<E extends SequencedEventName> = Omit<SequencedPayloads[E], 'seq'>;

/**
 * Writes live events into the outbox in the caller's transaction. The per-consultation counter
 * row is locked until commit, so `seq` is gap-free and commits happen in `seq` order; the
 * AFTER INSERT trigger NOTIFYs every process's relay once the transaction commits.
 * Call it last in a transaction: the counter lock is held until commit.
 */
@Injectable()
export class OutboxService {
  async append<E extends SequencedEventName>(
    tx: EntityManager,
    consultationId: string,
    itemNumber: number | null,
    type: E,
    payload: PayloadWithoutSeq<E>,
  ): Promise<number> {
    const [row] = await tx.query(`UPDATE consultations SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq`, [consultationId]);
    const seq = Number(row[0].last_seq);
    await tx.query(`INSERT INTO events (consultation_id, seq, item_number, type, payload) VALUES ($1, $2, $3, $4, $5)`, [
      consultationId,
      seq,
      itemNumber,
      type,
      JSON.stringify({ seq, ...payload }),
    ]);
    return seq;
  }

  /** Several events of one transaction, in order, with one counter update. */
  async appendMany(
    tx: EntityManager,
    consultationId: string,
    events: { itemNumber: number | null; type: SequencedEventName; payload: object }[],
  ): Promise<number[]> {
    if (events.length === 0) return [];
    const [row] = await tx.query(`UPDATE consultations SET last_seq = last_seq + $2 WHERE id = $1 RETURNING last_seq`, [
      consultationId,
      events.length,
    ]);
    const last = Number(row[0].last_seq);
    const first = last - events.length + 1;
    const seqs = events.map((_, i) => first + i);
    await tx.query(
      `INSERT INTO events (consultation_id, seq, item_number, type, payload)
       SELECT $1, * FROM unnest($2::bigint[], $3::int[], $4::text[], $5::jsonb[])`,
      [
        consultationId,
        seqs,
        events.map((e) => e.itemNumber),
        events.map((e) => e.type),
        events.map((e, i) => JSON.stringify({ seq: seqs[i], ...e.payload })),
      ],
    );
    return seqs;
  }
}
