import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { ConsultationWrites } from '../../apps/api/src/database/consultation-writes.js';
import { TallyService } from '../../apps/api/src/modules/positions/tally.service.js';
import { connectLive, createUser, emitAck, record, startTestApp, waitFor, type TestApp, type TestUser } from '../support/app.js';

const SLUG = 'ai-governance-action-plan';
const base = `/api/consultations/${SLUG}`;
let t: TestApp;
const sockets: Socket[] = [];

async function watch(item?: number) {
  const s = await connectLive(t);
  sockets.push(s);
  const got = record(s, ['tally.updated']);
  const ack = await emitAck<{ ok: boolean; seq: number }>(s, 'subscribe', item === undefined ? { consultation: SLUG } : { consultation: SLUG, item });
  expect(ack.ok).toBe(true);
  return got;
}

const put = (u: TestUser, item: number, body: object) =>
  request(t.base).put(`${base}/items/${item}/position`).set('Authorization', `Bearer ${u.token}`).send(body).expect(200);

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await t?.close();
});

describe('tally.updated', () => {
  it('reaches a watcher of the item and of the whole consultation with the new counts', async () => {
    const onItem = await watch(3);
    const onOther = await watch(4);
    const onAll = await watch();
    const u = await createUser(t, { group: 'industry' });
    await put(u, 3, { stance: 'support' });
    await waitFor(() => onItem.events.length === 1 && onAll.events.length === 1, 5000, 'tally.updated');
    const { seq, tally } = onItem.events[0]!.payload;
    expect(seq).toEqual(expect.any(Number));
    expect(tally.target).toEqual({ item: 3, clause: null });
    expect(tally.byGroup.industry).toEqual({ support: 1, support_with_amendments: 0, oppose: 0, abstain: 0, total: 1, supportRatio: 1 });
    expect(tally.participants).toBe(1);
    expect(tally.balancedSupport).toBe(1);
    expect(onAll.events[0]!.payload).toEqual(onItem.events[0]!.payload);

    await put(u, 3, { stance: 'oppose' });
    await waitFor(() => onItem.events.length === 2, 5000, 'the second tally.updated');
    expect(onItem.events[1]!.payload.tally.byGroup.industry).toMatchObject({ support: 0, oppose: 1, supportRatio: 0 });
    expect(onItem.events[1]!.payload.seq).toBeGreaterThan(seq);

    await request(t.base).delete(`${base}/items/3/position`).set('Authorization', `Bearer ${u.token}`).expect(204);
    await waitFor(() => onItem.events.length === 3, 5000, 'the tally after a withdrawal');
    expect(onItem.events[2]!.payload.tally.participants).toBe(0);

    await new Promise((r) => setTimeout(r, 200));
    expect(onOther.events).toEqual([]);
  });

  it('names the clause when a clause position changed, and carries the verified-only tally', async () => {
    const onItem = await watch(5);
    const verified = await createUser(t, { group: 'academia' });
    const unverified = await createUser(t, { group: 'academia', verified: false });
    await put(verified, 5, { stance: 'support', clauseKey: '5.1' });
    await waitFor(() => onItem.events.length === 1, 5000, 'tally.updated');
    expect(onItem.events[0]!.payload.tally.target).toEqual({ item: 5, clause: '5.1' });
    await put(unverified, 5, { stance: 'oppose', clauseKey: '5.1' });
    await waitFor(() => onItem.events.length === 2, 5000, 'tally.updated');
    const tally = onItem.events[1]!.payload.tally;
    expect(tally.rules.verified).toBe('verified');
    expect(tally.byGroup.academia).toMatchObject({ support: 1, oppose: 0, total: 1 });
  });

  it('is not sent when a PUT changes nothing', async () => {
    const onItem = await watch(6);
    const u = await createUser(t);
    await put(u, 6, { stance: 'abstain' });
    await waitFor(() => onItem.events.length === 1, 5000, 'tally.updated');
    await put(u, 6, { stance: 'abstain' });
    await new Promise((r) => setTimeout(r, 300));
    expect(onItem.events).toHaveLength(1);
  });

  it('ends, after concurrent changes, on a tally that counts every one of them', async () => {
    const onItem = await watch(7);
    const users = await Promise.all(Array.from({ length: 20 }, (_, i) => createUser(t, { group: ['government', 'industry', 'academia', 'civil_society'][i % 4] })));
    await Promise.all(users.map((u) => put(u, 7, { stance: 'support' })));
    await waitFor(() => onItem.events.length === 20, 10_000, '20 tally.updated');
    const seqs = onItem.events.map((e) => e.payload.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const last = onItem.events[onItem.events.length - 1]!.payload.tally;
    expect(last.participants).toBe(20);
    // every event's count is one more than the one before: none computed from stale counts
    expect(onItem.events.map((e) => e.payload.tally.participants)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('can be published for a participant whose verification changed (TallyService.publishParticipantTallies)', async () => {
    const onItem = await watch(8);
    const u = await createUser(t, { group: 'government', verified: false });
    await put(u, 8, { stance: 'support' });
    await put(u, 8, { stance: 'oppose', clauseKey: '8.1' });
    await waitFor(() => onItem.events.length === 2, 5000, 'tally.updated for the writes');
    expect(onItem.events.map((e) => e.payload.tally.participants)).toEqual([0, 0]);
    const tallies = t.app.get(TallyService);
    const n = await t.app.get(ConsultationWrites).runAcross(
      (tx) => tallies.participantConsultations(tx, u.id),
      async (tx, outbox) => {
        await tx.query(`UPDATE users SET verified = true WHERE id = $1`, [u.id]);
        return tallies.publishParticipantTallies(tx, outbox, u.id);
      },
    );
    expect(n).toBe(2);
    await waitFor(() => onItem.events.length === 4, 5000, 'tally.updated after verification');
    const [item, clause] = [onItem.events[2]!.payload.tally, onItem.events[3]!.payload.tally];
    expect(item.target).toEqual({ item: 8, clause: null });
    expect(item.byGroup.government).toMatchObject({ support: 1, total: 1 });
    expect(clause.target).toEqual({ item: 8, clause: '8.1' });
    expect(clause.byGroup.government).toMatchObject({ oppose: 1, total: 1 });
  });
});
