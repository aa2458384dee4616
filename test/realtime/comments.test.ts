import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { connectLive, createUser, emitAck, record, startTestApp, waitFor, type TestApp, type TestUser } from '../support/app.js';

const SLUG = 'ai-governance-action-plan';
const COMMENT_EVENTS = ['comment.created', 'comment.updated', 'comment.deleted'];
let t: TestApp;
let alice: TestUser;
let bob: TestUser;
let clause132: { zh: string; en: string };
const sockets: Socket[] = [];

async function live(token?: string): Promise<Socket> {
  const s = await connectLive(t, token);
  sockets.push(s);
  return s;
}

async function subscribe(s: Socket, item?: number, since?: number): Promise<number> {
  const ack = await emitAck<{ ok: boolean; seq: number }>(s, 'subscribe', { consultation: SLUG, ...(item === undefined ? {} : { item }), ...(since === undefined ? {} : { since }) });
  expect(ack.ok).toBe(true);
  return ack.seq;
}

const thread = (n: number) => `/api/consultations/${SLUG}/items/${n}/comments`;
const post = (user: TestUser, n: number, body: object) => request(t.base).post(thread(n)).set('Authorization', `Bearer ${user.token}`).send(body);
const patch = (user: TestUser, id: number, body: object) => request(t.base).patch(`/api/comments/${id}`).set('Authorization', `Bearer ${user.token}`).send(body);
const del = (user: TestUser, id: number) => request(t.base).delete(`/api/comments/${id}`).set('Authorization', `Bearer ${user.token}`);

beforeAll(async () => {
  t = await startTestApp();
  alice = await createUser(t, { group: 'government', displayName: 'Alice' });
  bob = await createUser(t, { group: 'academia', displayName: 'Bob' });
  const doc = (await request(t.base).get(`/api/consultations/${SLUG}`).expect(200)).body;
  clause132 = doc.items.find((i: { number: number }) => i.number === 13).clauses.find((c: { key: string }) => c.key === '13.2').text;
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await t?.close();
});

describe('comments live', () => {
  it('two viewers of item 13 receive comment.created for a comment on a quoted passage of clause 13.2', async () => {
    const guest = await live();
    const member = await live(bob.token);
    const elsewhere = await live();
    const overview = await live();
    const got = [record(guest, COMMENT_EVENTS), record(member, COMMENT_EVENTS)];
    const gotElsewhere = record(elsewhere, COMMENT_EVENTS);
    const gotOverview = record(overview, COMMENT_EVENTS);
    const seq = await subscribe(guest, 13);
    await subscribe(member, 13);
    await subscribe(elsewhere, 12);
    await subscribe(overview);

    const exact = '人工智能创新、应用';
    const start = clause132.zh.indexOf(exact);
    expect(start).toBeGreaterThan(0);
    const quote = { lang: 'zh', exact, prefix: clause132.zh.slice(start - 6, start), suffix: clause132.zh.slice(start + exact.length, start + exact.length + 6), start, end: start + exact.length };
    const res = await post(alice, 13, { body: '**创新**与应用需要并重。', clauseKey: '13.2', quote }).expect(201);

    await waitFor(() => got.every((g) => g.events.length === 1) && gotOverview.events.length === 1, 5000, 'comment.created for both viewers');
    for (const g of [...got, gotOverview]) {
      expect(g.events[0]).toEqual({ name: 'comment.created', payload: { seq: seq + 1, comment: res.body } });
    }
    expect(res.body).toMatchObject({ itemNumber: 13, clauseKey: '13.2', quote, author: { id: alice.id, displayName: 'Alice', stakeholderGroup: 'government' } });
    await new Promise((r) => setTimeout(r, 200));
    expect(gotElsewhere.events).toEqual([]);
  });

  it('sends replies, edits and soft deletes, the deleted one without its body', async () => {
    const viewer = await live();
    const got = record(viewer, COMMENT_EVENTS);
    const seq = await subscribe(viewer, 13);
    const root = (await post(alice, 13, { body: 'root', clauseKey: '13.2' }).expect(201)).body;
    const reply = (await post(bob, 13, { body: 'reply', parentId: root.id }).expect(201)).body;
    const edited = (await patch(alice, root.id, { body: 'root, edited' }).expect(200)).body;
    await del(alice, root.id).expect(204);

    await waitFor(() => got.events.length === 4, 5000, 'four events');
    expect(got.events.map((e) => [e.name, e.payload.seq])).toEqual([
      ['comment.created', seq + 1],
      ['comment.created', seq + 2],
      ['comment.updated', seq + 3],
      ['comment.deleted', seq + 4],
    ]);
    expect(got.events[1]!.payload.comment).toEqual(reply);
    expect(reply).toMatchObject({ parentId: root.id, clauseKey: '13.2', depth: 1 });
    expect(got.events[2]!.payload.comment).toEqual(edited);
    expect(got.events[3]!.payload.comment).toEqual({ ...edited, status: 'deleted', body: null });
  });

  it('sends nothing and uses no seq for a refused write', async () => {
    const viewer = await live();
    const got = record(viewer, COMMENT_EVENTS);
    const seq = await subscribe(viewer, 13);
    await post(alice, 13, { body: '' }).expect(400);
    await post(alice, 13, { body: 'x', clauseKey: '12.1' }).expect(400);
    await t.db.query(`UPDATE items SET locked = true WHERE number = 13`);
    await post(alice, 13, { body: 'while locked' }).expect(423);
    await t.db.query(`UPDATE items SET locked = false WHERE number = 13`);
    const ok = (await post(alice, 13, { body: 'after' }).expect(201)).body;
    await waitFor(() => got.events.length === 1, 5000, 'the one event');
    expect(got.events[0]!.payload).toEqual({ seq: seq + 1, comment: ok });
  });

  it('never carries the text of a hidden or deleted comment', async () => {
    const viewer = await live(alice.token);
    const got = record(viewer, COMMENT_EVENTS);
    await subscribe(viewer, 13);
    const c = (await post(alice, 13, { body: 'soon hidden' }).expect(201)).body;
    await t.db.query(`UPDATE comments SET status = 'hidden', hidden_reason = 'abuse' WHERE id = $1`, [c.id]);
    await del(alice, c.id).expect(204); // the author withdraws it: comment.deleted, without the body
    await waitFor(() => got.events.length === 2, 5000, 'two events');
    expect(got.events[1]!.payload.comment).toMatchObject({ id: c.id, status: 'deleted', body: null, hiddenReason: null });
    expect(JSON.stringify(got.events[1]!.payload)).not.toContain('soon hidden');
  });

  it('a viewer that was away receives with `since` every missed event once, in order, then the live ones', async () => {
    const away = await live(bob.token);
    const lastSeen = await subscribe(away, 13);
    away.close();

    const a = (await post(alice, 13, { body: 'missed 1', clauseKey: '13.1' }).expect(201)).body;
    await post(alice, 12, { body: 'on another item' }).expect(201);
    const b = (await post(bob, 13, { body: 'missed 2', parentId: a.id }).expect(201)).body;
    await patch(alice, a.id, { body: 'missed 1, edited' }).expect(200);
    await del(bob, b.id).expect(204);
    const c = (await post(alice, 13, { body: 'missed 3' }).expect(201)).body;

    const back = await live(bob.token);
    const got = record(back, COMMENT_EVENTS);
    const ack = await subscribe(back, 13, lastSeen);
    expect(ack).toBe(lastSeen + 6);
    const d = (await post(alice, 13, { body: 'live again' }).expect(201)).body;
    await waitFor(() => got.events.length >= 6, 5000, 'missed and live events');
    await new Promise((r) => setTimeout(r, 300));

    expect(got.events.map((e) => [e.name, e.payload.comment.id])).toEqual([
      ['comment.created', a.id],
      ['comment.created', b.id],
      ['comment.updated', a.id],
      ['comment.deleted', b.id],
      ['comment.created', c.id],
      ['comment.created', d.id],
    ]);
    const seqs = got.events.map((e) => e.payload.seq);
    expect(seqs).toEqual([lastSeen + 1, lastSeen + 3, lastSeen + 4, lastSeen + 5, lastSeen + 6, lastSeen + 7]);
  });
});
