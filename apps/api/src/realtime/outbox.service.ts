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
    // One statement, so one round trip while the counter row is locked (every writer of the
    // consultation queues on that lock until this transaction commits). `seq` goes into the
    // payload in SQL; jsonb keeps no key order, so the stored text is the same as before.
    const rows: { seq: string }[] = await tx.query(
      `WITH counter AS (UPDATE consultations SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq)
       INSERT INTO events (consultation_id, seq, item_number, type, payload)
       SELECT $1, counter.last_seq, $2, $3, jsonb_build_object('seq', counter.last_seq) || $4::jsonb FROM counter
       RETURNING seq`,
      [consultationId, itemNumber, type, JSON.stringify(payload)],
    );
    if (!rows[0]) throw new Error(`no consultation ${consultationId} to append an event to`);
    return Number(rows[0].seq);
  }

  /** Several events of one transaction, in order, with one counter update (one statement). */
  async appendMany(
    tx: EntityManager,
    consultationId: string,
    events: { itemNumber: number | null; type: SequencedEventName; payload: object }[],
  ): Promise<number[]> {
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
  }
}
