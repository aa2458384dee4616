import { randomBytes } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import request from 'supertest';
import { connectLive, createUser, emitAck, record, startTestApp, waitFor, type TestApp, type TestUser } from '../support/app.js';

const SLUG = 'ai-governance-action-plan';
let t: TestApp;
const sockets: Socket[] = [];
let author: TestUser;
let other: TestUser;
let mod: TestUser;

const tag = () => randomBytes(4).toString('hex');
const auth = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });

async function live(token?: string): Promise<Socket> {
  const s = await connectLive(t, token);
  sockets.push(s);
  return s;
}
async function comment(user: TestUser, n: number, body: string): Promise<any> {
  return (await request(t.base).post(`/api/consultations/${SLUG}/items/${n}/comments`).set(auth(user)).send({ body }).expect(201)).body;
}
const quiet = () => new Promise((r) => setTimeout(r, 300));

beforeAll(async () => {
  t = await startTestApp();
  author = await createUser(t, { displayName: 'Live Author' });
  other = await createUser(t, { displayName: 'Live Other' });
  mod = await createUser(t, { role: 'moderator', displayName: `Live Moderator ${tag()}` });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await t?.close();
});

describe('moderation, live', () => {
  it('sends comment.hidden to the item’s viewers without the text, and the notification to the author alone', async () => {
    const text = `Live text to hide ${tag()}`;
    const c = await comment(author, 10, text);

    const guest = await live();
    const viewer = await live(other.token);
    const authorOnItem = await live(author.token);
    const authorElsewhere = await live(author.token); // subscribed to nothing: notifications are personal, not per item
    const whole = await live();
    const g = record(guest, ['comment.hidden', 'notification.created']);
    const v = record(viewer, ['comment.hidden', 'notification.created']);
    const a = record(authorOnItem, ['comment.hidden', 'notification.created']);
    const a2 = record(authorElsewhere, ['comment.hidden', 'notification.created']);
    const w = record(whole, ['comment.hidden']);
    const ack = await emitAck<{ ok: boolean; seq: number }>(guest, 'subscribe', { consultation: SLUG, item: 10 });
    await emitAck(viewer, 'subscribe', { consultation: SLUG, item: 10 });
    await emitAck(authorOnItem, 'subscribe', { consultation: SLUG, item: 10 });
    await emitAck(whole, 'subscribe', { consultation: SLUG });

    await request(t.base).post(`/api/moderation/comments/${c.id}/hide`).set(auth(mod)).send({ reason: 'Off topic insults' }).expect(200);

    await waitFor(() => g.events.length >= 1 && v.events.length >= 1 && w.events.length >= 1, 5000, 'comment.hidden');
    await waitFor(() => a.events.length >= 2 && a2.events.length >= 1, 5000, 'the author’s events');
    const hidden = g.events.find((e) => e.name === 'comment.hidden')!.payload;
    expect(hidden).toMatchObject({ seq: ack.seq + 1, comment: { id: c.id, status: 'hidden', hiddenReason: 'Off topic insults', body: null } });
    expect(JSON.stringify(v.events)).not.toContain(text);
    expect(JSON.stringify(w.events)).not.toContain(text);
    expect(JSON.stringify(a.events.filter((e) => e.name === 'comment.hidden'))).not.toContain(text);

    const note = a.events.find((e) => e.name === 'notification.created')!.payload;
    expect(note.notification).toMatchObject({ type: 'comment.hidden', reason: 'Off topic insults', comment: { id: c.id, consultation: SLUG, itemNumber: 10 } });
    expect(a2.events.map((e) => e.name)).toEqual(['notification.created']);
    expect(JSON.stringify(note)).not.toContain(mod.id);
    // What is sent live is what the inbox holds.
    const inbox = (await request(t.base).get('/api/me/notifications').set(auth(author)).expect(200)).body;
    expect(inbox.notifications[0]).toEqual(note.notification);

    await quiet();
    expect(g.events.map((e) => e.name)).toEqual(['comment.hidden']);
    expect(v.events.map((e) => e.name)).toEqual(['comment.hidden']);
  });

  it('sends comment.restored in the public form', async () => {
    const text = `Live text to restore ${tag()}`;
    const c = await comment(author, 10, text);
    await request(t.base).post(`/api/moderation/comments/${c.id}/hide`).set(auth(mod)).send({ reason: 'Mistake' }).expect(200);
    const s = await live();
    const got = record(s, ['comment.restored']);
    await emitAck(s, 'subscribe', { consultation: SLUG, item: 10 });
    await request(t.base).post(`/api/moderation/comments/${c.id}/restore`).set(auth(mod)).send({ reason: 'Was fine' }).expect(200);
    await waitFor(() => got.events.length === 1, 5000, 'comment.restored');
    expect(got.events[0]!.payload.comment).toMatchObject({ id: c.id, status: 'visible', hiddenReason: null, body: text });
  });

  it('sends item.locked to the item’s viewers and the whole consultation, and not to other items', async () => {
    const on11 = await live();
    const on12 = await live();
    const all = await live();
    const r11 = record(on11, ['item.locked']);
    const r12 = record(on12, ['item.locked']);
    const rAll = record(all, ['item.locked']);
    await emitAck(on11, 'subscribe', { consultation: SLUG, item: 11 });
    await emitAck(on12, 'subscribe', { consultation: SLUG, item: 12 });
    await emitAck(all, 'subscribe', { consultation: SLUG });

    const lock = (locked: boolean) =>
      request(t.base).post(`/api/moderation/consultations/${SLUG}/items/11/lock`).set(auth(mod)).send({ locked, reason: locked ? 'Heated' : 'Cooled' }).expect(200);
    await lock(true);
    await waitFor(() => r11.events.length === 1 && rAll.events.length === 1, 5000, 'item.locked');
    expect(r11.events[0]!.payload).toMatchObject({ item: 11, locked: true, seq: expect.any(Number) });
    await request(t.base).post(`/api/consultations/${SLUG}/items/11/comments`).set(auth(author)).send({ body: 'locked out' }).expect(423);
    await lock(false);
    await waitFor(() => r11.events.length === 2, 5000, 'item.locked (unlock)');
    expect(r11.events[1]!.payload).toMatchObject({ item: 11, locked: false, seq: r11.events[0]!.payload.seq + 1 });
    await quiet();
    expect(r12.events).toEqual([]);
  });

  it('tells a participant live of their suspension', async () => {
    const p = await createUser(t, { displayName: 'To be suspended' });
    const s = await live(p.token);
    const got = record(s, ['notification.created']);
    const until = new Date(Date.now() + 86_400_000).toISOString();
    await request(t.base).post(`/api/moderation/users/${p.id}/suspend`).set(auth(mod)).send({ until, reason: 'Spam wave' }).expect(200);
    await waitFor(() => got.events.length === 1, 5000, 'notification.created');
    expect(got.events[0]!.payload.notification).toMatchObject({ type: 'account.suspended', reason: 'Spam wave', until });
  });

  it('delivers a personal event committed by another writer (another process) through the relay', async () => {
    const s = await live(other.token);
    const got = record(s, ['notification.created']);
    await t.db.query(`INSERT INTO user_events (user_id, type, payload) VALUES ($1, 'notification.created', $2)`, [other.id, JSON.stringify({ notification: { id: 0 } })]);
    await waitFor(() => got.events.length === 1, 5000, 'the relayed personal event');
    expect(got.events[0]!.payload).toEqual({ notification: { id: 0 } });
  });
});
