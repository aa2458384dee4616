import type { Socket } from 'socket.io-client';
import { ConsultationWrites } from '../../apps/api/src/database/consultation-writes.js';
import { connectLive, emitAck, record, startTestApp, waitFor, type TestApp } from '../support/app.js';
import { errorAck } from '../support/errors.js';

const SLUG = 'ai-governance-action-plan';
let t: TestApp;
let consultationId: string;
const sockets: Socket[] = [];

/** Writes an event the way every domain service does: through the write unit's outbox. */
async function writeEvent(item: number | null, n: number): Promise<number> {
  return t.app.get(ConsultationWrites).run(consultationId, (_tx, outbox) =>
    outbox.append(consultationId, item, 'item.locked', { item: item ?? -1, locked: n % 2 === 0 }),
  );
}

async function live(token?: string): Promise<Socket> {
  const s = await connectLive(t, token);
  sockets.push(s);
  return s;
}

beforeAll(async () => {
  t = await startTestApp();
  consultationId = (await t.db.query(`SELECT id FROM consultations WHERE slug = $1`, [SLUG])).rows[0].id;
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await t?.close();
});

describe('the live-event spine', () => {
  it('acks a subscription with the last seq and delivers a committed event to the item room', async () => {
    const s = await live();
    const got = record(s, ['item.locked']);
    const ack = await emitAck<{ ok: boolean; seq: number }>(s, 'subscribe', { consultation: SLUG, item: 13 });
    expect(ack.ok).toBe(true);
    const seq = await writeEvent(13, 1);
    expect(seq).toBe(ack.seq + 1);
    await waitFor(() => got.events.length === 1, 5000, 'the event');
    expect(got.events[0]!.payload).toEqual({ seq, item: 13, locked: false });
  });

  it('sends an item event to that item and the whole consultation, not to other items', async () => {
    const on13 = await live();
    const on12 = await live();
    const all = await live();
    const r13 = record(on13, ['item.locked']);
    const r12 = record(on12, ['item.locked']);
    const rAll = record(all, ['item.locked']);
    await emitAck(on13, 'subscribe', { consultation: SLUG, item: 13 });
    await emitAck(on12, 'subscribe', { consultation: SLUG, item: 12 });
    await emitAck(all, 'subscribe', { consultation: SLUG });
    const seq = await writeEvent(13, 2);
    await waitFor(() => r13.events.length === 1 && rAll.events.length === 1, 5000, 'delivery');
    await new Promise((r) => setTimeout(r, 200));
    expect(r12.events).toEqual([]);
    expect(rAll.events[0]!.payload.seq).toBe(seq);
  });

  it('replays after `since` exactly what was missed, in order, then continues live without duplicates', async () => {
    const first = await live();
    const ack = await emitAck<{ ok: boolean; seq: number }>(first, 'subscribe', { consultation: SLUG, item: 13 });
    first.close();
    const missed: number[] = [];
    for (let i = 0; i < 5; i++) missed.push(await writeEvent(13, i));
    await writeEvent(12, 0); // another item's event is not part of the replay
    const again = await live();
    const got = record(again, ['item.locked']);
    const ack2 = await emitAck<{ ok: boolean; seq: number }>(again, 'subscribe', { consultation: SLUG, item: 13, since: ack.seq });
    expect(ack2.seq).toBeGreaterThanOrEqual(missed[4]!);
    const more = [await writeEvent(13, 7), await writeEvent(13, 8)];
    await waitFor(() => got.events.length >= 7, 5000, 'replay and live events');
    await new Promise((r) => setTimeout(r, 200));
    expect(got.events.map((e) => e.payload.seq)).toEqual([...missed, ...more]);
  });

  it('numbers events gap-free per consultation under concurrent writers', async () => {
    const all = await live();
    const got = record(all, ['item.locked']);
    const ack = await emitAck<{ ok: boolean; seq: number }>(all, 'subscribe', { consultation: SLUG });
    const seqs = await Promise.all(Array.from({ length: 40 }, (_, i) => writeEvent(i % 14, i)));
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => ack.seq + 1 + i));
    await waitFor(() => got.events.length === 40, 5000, '40 events');
    expect(got.events.map((e) => e.payload.seq)).toEqual(Array.from({ length: 40 }, (_, i) => ack.seq + 1 + i));
  });

  it('delivers an event committed outside this process (another writer) through the relay', async () => {
    const s = await live();
    const got = record(s, ['item.locked']);
    await emitAck(s, 'subscribe', { consultation: SLUG, item: 5 });
    // A bare SQL writer, as another API process would be: the NOTIFY on commit wakes the relay.
    const client = await t.db.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query(`UPDATE consultations SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq`, [consultationId]);
      const seq = Number(rows[0].last_seq);
      await client.query(`INSERT INTO events (consultation_id, seq, item_number, type, payload) VALUES ($1, $2, 5, 'item.locked', $3)`, [
        consultationId,
        seq,
        JSON.stringify({ seq, item: 5, locked: true }),
      ]);
      await client.query('COMMIT');
      await waitFor(() => got.events.length === 1, 5000, 'relayed event');
      expect(got.events[0]!.payload).toEqual({ seq, item: 5, locked: true });
    } finally {
      client.release();
    }
  });

  it('answers a subscription to what does not exist with an error ack, in the shape of the HTTP errors (code, statusCode, message, fields)', async () => {
    const s = await live();
    expect(await emitAck(s, 'subscribe', { consultation: 'no-such-thing' })).toEqual(errorAck(404, 'consultation not found'));
    expect(await emitAck(s, 'subscribe', { consultation: SLUG, item: 99 })).toEqual(errorAck(404, 'item not found'));
    // Bad input names each field with its problem, as a 400 over HTTP does.
    const bad = await emitAck(s, 'subscribe', { consultation: SLUG, item: 'x', since: -1 });
    expect(bad).toMatchObject({ ok: false, error: 'bad_input', code: 'bad_input', statusCode: 400, fields: { item: expect.any(String), since: expect.any(String) } });
    expect(Object.keys((bad as { fields: object }).fields).sort()).toEqual(['item', 'since']);
    expect(await emitAck(s, 'subscribe', null)).toMatchObject({ ok: false, error: 'bad_input' });
  });

  it('tells the viewers of an item how many are viewing', async () => {
    const a = await live();
    const b = await live();
    const got = record(a, ['presence']);
    await emitAck(a, 'subscribe', { consultation: SLUG, item: 7 });
    await emitAck(b, 'subscribe', { consultation: SLUG, item: 7 });
    await waitFor(() => got.events.some((e) => e.payload.viewers === 2), 5000, 'presence of 2');
    expect(got.events.at(-1)!.payload).toEqual({ item: 7, viewers: 2 });
    b.close();
    await waitFor(() => got.events.at(-1)!.payload.viewers === 1, 5000, 'presence of 1');
  });
});
