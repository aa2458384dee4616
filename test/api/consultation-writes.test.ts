import { DataSource } from 'typeorm';
import { badInput } from '../../apps/api/src/common/errors/domain-error.js';
import { ConsultationWrites } from '../../apps/api/src/database/consultation-writes.js';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
let writes: ConsultationWrites;
let consultationId: string;

beforeAll(async () => {
  t = await startTestApp();
  writes = t.app.get(ConsultationWrites);
  consultationId = (await t.db.query(`SELECT id FROM consultations`)).rows[0].id;
});
afterAll(async () => {
  await t?.close();
});

describe('writes to one consultation (group commit)', () => {
  it('carries the writes that queue during a commit in one shared transaction, each answered after it', async () => {
    const txids = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        writes.run(consultationId, async (tx, outbox) => {
          await outbox.append(consultationId, 1, 'item.locked', { item: 1, locked: i % 2 === 0 });
          const [row] = await tx.query(`SELECT txid_current()::text AS id`);
          return row.id as string;
        }),
      ),
    );
    // The first write goes alone; the others queued behind its commit and share far fewer transactions.
    expect(new Set(txids).size).toBeLessThan(10);
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM events WHERE consultation_id = $1`, [consultationId]);
    expect(rows[0].n).toBe(30);
  });

  it('undoes a refused write alone: the others of its transaction commit, and seq stays gap-free', async () => {
    const before = Number((await t.db.query(`SELECT last_seq FROM consultations WHERE id = $1`, [consultationId])).rows[0].last_seq);
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        writes.run(consultationId, async (tx, outbox) => {
          const seq = await outbox.append(consultationId, 2, 'item.locked', { item: 2, locked: true });
          if (i % 3 === 1) throw badInput('body', `refused write ${i}`);
          if (i % 3 === 2) await tx.query(`SELECT 1/0`); // a failed statement, undone with its write
          return seq;
        }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<number>).value);
    expect(ok).toHaveLength(4);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(8);
    expect(ok.sort((a, b) => a - b)).toEqual([before + 1, before + 2, before + 3, before + 4]);
    const { rows } = await t.db.query(`SELECT seq FROM events WHERE consultation_id = $1 AND seq > $2 ORDER BY seq`, [consultationId, before]);
    expect(rows.map((r: { seq: string }) => Number(r.seq))).toEqual([before + 1, before + 2, before + 3, before + 4]);
  });

  it('appends only to the consultation whose counter the write holds', async () => {
    const other = (await t.db.query(`INSERT INTO consultations (slug, title_zh, title_en, status) VALUES ('other-writes', '另', 'Other', 'open') RETURNING id`)).rows[0].id;
    await expect(
      writes.run(consultationId, async (_tx, outbox) => outbox.append(other, null, 'consultation.updated', { status: 'open' })),
    ).rejects.toThrow(/outside the write that holds its counter/);
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM events WHERE consultation_id = $1`, [other]);
    expect(rows[0].n).toBe(0);
  });

  it('holds the counter from the start of the transaction', async () => {
    const db = t.app.get(DataSource);
    let sawLock = false;
    await writes.run(consultationId, async () => {
      // Another connection cannot take the counter while the write runs.
      const other = await db.createQueryRunner();
      await other.connect();
      await other.startTransaction();
      try {
        await other.query(`SET LOCAL lock_timeout = '100ms'`);
        await other.query(`SELECT 1 FROM consultations WHERE id = $1 FOR NO KEY UPDATE`, [consultationId]);
      } catch (err) {
        sawLock = /lock timeout/.test(String((err as Error).message));
      } finally {
        await other.rollbackTransaction();
        await other.release();
      }
    });
    expect(sawLock).toBe(true);
  });
});
