import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createUser, startTestApp, type TestApp, type TestUser } from '../support/app.js';
import { errorBody } from '../support/errors.js';

const SLUG = 'ai-governance-action-plan';
let t: TestApp;

const tag = () => randomBytes(4).toString('hex');
const auth = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });
const thread = (n: number) => `/api/consultations/${SLUG}/items/${n}/comments`;

async function comment(user: TestUser, n: number, body: string, extra: object = {}): Promise<any> {
  const res = await request(t.base).post(thread(n)).set(auth(user)).send({ body, ...extra });
  expect(res.status).toBe(201);
  return res.body;
}
function flag(user: TestUser, id: number, body: object = { reason: 'abuse' }) {
  return request(t.base).post(`/api/comments/${id}/flags`).set(auth(user)).send(body);
}
function act(user: TestUser, path: string, body: object) {
  return request(t.base).post(`/api/moderation/${path}`).set(auth(user)).send(body);
}
async function queue(user: TestUser): Promise<any[]> {
  return (await request(t.base).get('/api/moderation/queue').set(auth(user)).expect(200)).body;
}
async function threadAs(n: number, user?: TestUser): Promise<any[]> {
  const r = request(t.base).get(`${thread(n)}?limit=100`);
  return (await (user ? r.set(auth(user)) : r).expect(200)).body.comments;
}
async function notifications(user: TestUser): Promise<{ notifications: any[]; unread: number; nextBefore: number | null }> {
  return (await request(t.base).get('/api/me/notifications').set(auth(user)).expect(200)).body;
}
function expectError(res: request.Response, status: number, message: RegExp) {
  expect(res.status).toBe(status);
  expect(res.body).toEqual(errorBody(status, expect.stringMatching(message), expect.any(Object)));
}

let author: TestUser;
let mod: TestUser;
let mod2: TestUser;
let admin: TestUser;
let flaggers: TestUser[];
let modName: string;
let adminName: string;

beforeAll(async () => {
  t = await startTestApp();
  modName = `Moderator Zhao ${tag()}`;
  adminName = `Admin Qian ${tag()}`;
  author = await createUser(t, { group: 'industry', displayName: 'Author Sun' });
  mod = await createUser(t, { role: 'moderator', displayName: modName });
  mod2 = await createUser(t, { role: 'moderator', displayName: `Moderator Li ${tag()}` });
  admin = await createUser(t, { role: 'admin', displayName: adminName });
  flaggers = await Promise.all(['government', 'academia', 'civil_society'].map((group, i) => createUser(t, { group, displayName: `Flagger ${i}` })));
});
afterAll(async () => {
  await t?.close();
});

describe('flags', () => {
  it('takes one flag per participant per comment, with a reason and an optional note', async () => {
    const c = await comment(author, 2, `flag me ${tag()}`);
    const res = await flag(flaggers[0]!, c.id, { reason: 'spam', note: '  advertising  ' }).expect(201);
    expect(res.body).toEqual({ id: expect.any(Number), commentId: c.id, reason: 'spam', note: 'advertising', createdAt: expect.any(String) });
    expectError(await flag(flaggers[0]!, c.id, { reason: 'abuse' }), 409, /already flagged/);
    await flag(flaggers[1]!, c.id, { reason: 'other' }).expect(201);
  });

  it('refuses a flag on one’s own comment, on nothing, without a valid reason, or from a guest', async () => {
    const c = await comment(author, 2, `mine ${tag()}`);
    expectError(await flag(author, c.id), 403, /own comment/);
    expectError(await flag(flaggers[0]!, 999999999), 404, /comment not found/);
    expectError(await flag(flaggers[0]!, c.id, { reason: 'boring' }), 400, /reason/);
    expectError(await flag(flaggers[0]!, c.id, {}), 400, /reason/);
    expectError(await flag(flaggers[0]!, c.id, { reason: 'other', note: 'x'.repeat(1001) }), 400, /note/);
    expectError(await flag(flaggers[0]!, c.id, { reason: 'other', extra: 1 }), 400, /extra/);
    await request(t.base).post(`/api/comments/${c.id}/flags`).send({ reason: 'spam' }).expect(401);
  });
});

describe('the queue', () => {
  it('puts the comment with three flags at the top, with the flags, its context and the full text', async () => {
    const parent = await comment(flaggers[2]!, 3, `The parent comment of the thread ${tag()}`, { clauseKey: '3.1' });
    const once = await comment(author, 3, `flagged once ${tag()}`);
    const text = `Offensive reply ${tag()}`;
    const thrice = await comment(author, 3, text, { parentId: parent.id });
    await flag(flaggers[0]!, once.id, { reason: 'off_topic' }).expect(201);
    for (const [i, f] of flaggers.entries()) {
      await flag(f, thrice.id, { reason: i === 0 ? 'abuse' : 'spam', note: `note ${i}` }).expect(201);
    }

    const q = await queue(mod);
    const top = q[0];
    expect(top.id).toBe(thrice.id);
    expect(top.flagCount).toBe(3);
    expect(top.body).toBe(text);
    expect(top.author).toMatchObject({ id: author.id, displayName: 'Author Sun' });
    expect(top.flags.map((f: any) => [f.reason, f.note, f.flagger.id])).toEqual([
      ['abuse', 'note 0', flaggers[0]!.id],
      ['spam', 'note 1', flaggers[1]!.id],
      ['spam', 'note 2', flaggers[2]!.id],
    ]);
    expect(top.flags[0].flagger.displayName).toBe('Flagger 0');
    expect(top.context.item.number).toBe(3);
    expect(top.context.item.title.en).not.toBe('');
    expect(top.context.clause.key).toBe('3.1');
    expect(top.context.clause.text.zh).not.toBe('');
    expect(top.context.parent).toMatchObject({ id: parent.id, status: 'visible', excerpt: parent.body });
    expect(top.context.consultation.slug).toBe(SLUG);
    expect(top.authorHistory).toEqual([]);
    // Most flagged first: the once-flagged comment comes after every comment with more flags.
    const counts = q.map((e) => e.flagCount);
    expect([...counts].sort((a, b) => b - a)).toEqual(counts);
    expect(q.some((e) => e.id === once.id)).toBe(true);
  });

  it('answers participants 403 and guests 401 on every moderation route', async () => {
    const c = await comment(author, 4, `bystander ${tag()}`);
    const routes: [string, string, object?][] = [
      ['get', '/api/moderation/queue'],
      ['get', '/api/moderation/log'],
      ['get', `/api/moderation/comments/${c.id}`],
      ['post', `/api/moderation/comments/${c.id}/hide`, { reason: 'r' }],
      ['post', `/api/moderation/comments/${c.id}/restore`, { reason: 'r' }],
      ['post', `/api/moderation/comments/${c.id}/dismiss`, { reason: 'r' }],
      ['post', `/api/moderation/consultations/${SLUG}/items/4/lock`, { locked: true, reason: 'r' }],
      ['post', `/api/moderation/users/${flaggers[0]!.id}/suspend`, { until: '2099-01-01', reason: 'r' }],
    ];
    for (const [method, path, body] of routes) {
      const asParticipant = (request(t.base) as any)[method](path).set(auth(flaggers[0]!));
      expect((await (body ? asParticipant.send(body) : asParticipant)).status, `${method} ${path}`).toBe(403);
      const asGuest = (request(t.base) as any)[method](path);
      expect((await (body ? asGuest.send(body) : asGuest)).status, `${method} ${path}`).toBe(401);
    }
    // Nothing happened.
    expect((await threadAs(4)).find((x) => x.id === c.id).status).toBe('visible');
  });
});

describe('hiding and restoring', () => {
  let c: any;
  const text = `Hide this text ${tag()} 隐藏`;

  beforeAll(async () => {
    c = await comment(author, 5, text, { clauseKey: '5.1' });
    for (const f of flaggers) await flag(f, c.id, { reason: 'abuse' }).expect(201);
  });

  it('needs a reason', async () => {
    expectError(await act(mod, `comments/${c.id}/hide`, {}), 400, /reason/);
    expectError(await act(mod, `comments/${c.id}/hide`, { reason: '   ' }), 400, /reason/);
    expectError(await act(mod, `comments/${c.id}/hide`, { reason: 'x'.repeat(1001) }), 400, /reason/);
    expectError(await act(mod, `comments/${c.id}/restore`, {}), 400, /reason/);
    expect((await threadAs(5)).find((x) => x.id === c.id).status).toBe('visible');
  });

  it('hides: the thread keeps the comment with its reason and no text, except for its author', async () => {
    const before = (await request(t.base).get(`/api/consultations/${SLUG}`).expect(200)).body.items[5].commentCount;
    const res = await act(mod, `comments/${c.id}/hide`, { reason: 'Personal attack' }).expect(200);
    expect(res.body).toMatchObject({ id: c.id, status: 'hidden', hiddenReason: 'Personal attack', body: null });

    const asGuest = (await threadAs(5)).find((x) => x.id === c.id);
    expect(asGuest).toMatchObject({ status: 'hidden', hiddenReason: 'Personal attack', body: null, clauseKey: '5.1' });
    expect(JSON.stringify(await threadAs(5))).not.toContain(text);
    expect((await threadAs(5, flaggers[0]!)).find((x) => x.id === c.id).body).toBeNull();
    expect((await threadAs(5, mod)).find((x) => x.id === c.id).body).toBeNull();
    expect((await threadAs(5, author)).find((x) => x.id === c.id)).toMatchObject({ status: 'hidden', body: text });

    const after = (await request(t.base).get(`/api/consultations/${SLUG}`).expect(200)).body.items[5].commentCount;
    expect(after).toBe(before - 1);
  });

  it('settles the flags: the comment leaves the queue; moderators still read its text to judge it', async () => {
    expect((await queue(mod)).some((e) => e.id === c.id)).toBe(false);
    const detail = (await request(t.base).get(`/api/moderation/comments/${c.id}`).set(auth(mod)).expect(200)).body;
    expect(detail.comment).toMatchObject({ id: c.id, status: 'hidden', body: text });
    expect(detail.flags).toHaveLength(3);
    expect(detail.flags.every((f: any) => f.resolution === 'hidden')).toBe(true);
    expect(detail.history[0]).toMatchObject({ action: 'hide', reason: 'Personal attack', moderator: { id: mod.id } });
    expectError(await act(mod, `comments/${c.id}/hide`, { reason: 'again' }), 409, /hidden/);
  });

  it('leaves the text out of the export, in JSON and CSV', async () => {
    const json = await request(t.base).get(`/api/consultations/${SLUG}/export?format=json`).expect(200);
    const exported = json.body.comments.find((x: any) => x.id === c.id);
    expect(exported).toMatchObject({ status: 'hidden', hiddenReason: 'Personal attack', body: null });
    expect(JSON.stringify(json.body)).not.toContain(text);
    const csv = await request(t.base).get(`/api/consultations/${SLUG}/export?format=csv`).expect(200);
    expect(csv.text).toContain('Personal attack');
    expect(csv.text).not.toContain(text);
  });

  it('tells the author what happened and why, without naming the moderator', async () => {
    const inbox = await notifications(author);
    const n = inbox.notifications[0];
    expect(n).toMatchObject({
      type: 'comment.hidden',
      reason: 'Personal attack',
      readAt: null,
      comment: { id: c.id, consultation: SLUG, itemNumber: 5, clauseKey: '5.1' },
    });
    expect(inbox.unread).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(inbox)).not.toContain(mod.id);
    expect(JSON.stringify(inbox)).not.toContain(modName);
    // Nobody else is told.
    expect((await notifications(flaggers[0]!)).notifications).toEqual([]);
  });

  it('restores: the text is back for everyone, and the author is told', async () => {
    const res = await act(mod2, `comments/${c.id}/restore`, { reason: 'On review, a fair criticism' }).expect(200);
    expect(res.body).toMatchObject({ id: c.id, status: 'visible', hiddenReason: null, body: text });
    expect((await threadAs(5)).find((x) => x.id === c.id)).toMatchObject({ status: 'visible', body: text, hiddenReason: null });
    expect((await notifications(author)).notifications[0]).toMatchObject({ type: 'comment.restored', reason: 'On review, a fair criticism' });
    expectError(await act(mod, `comments/${c.id}/restore`, { reason: 'again' }), 409, /visible/);
  });

  it('marks notifications read', async () => {
    const before = await notifications(author);
    expect(before.unread).toBeGreaterThanOrEqual(2);
    const first = before.notifications[0].id;
    let res = await request(t.base).post('/api/me/notifications/read').set(auth(author)).send({ ids: [first] }).expect(200);
    expect(res.body.unread).toBe(before.unread - 1);
    res = await request(t.base).post('/api/me/notifications/read').set(auth(author)).send({}).expect(200);
    expect(res.body.unread).toBe(0);
    expect((await notifications(author)).notifications.every((n) => n.readAt !== null)).toBe(true);
    await request(t.base).get('/api/me/notifications').expect(401);
  });

  it('dismisses flags without hiding: the comment leaves the queue and stays visible', async () => {
    const d = await comment(author, 5, `Harmless but flagged ${tag()}`);
    await flag(flaggers[0]!, d.id, { reason: 'spam' }).expect(201);
    expect((await queue(mod)).some((e) => e.id === d.id)).toBe(true);
    const res = await act(mod, `comments/${d.id}/dismiss`, { reason: 'Not spam' }).expect(200);
    expect(res.body).toMatchObject({ id: d.id, status: 'visible' });
    expect((await queue(mod)).some((e) => e.id === d.id)).toBe(false);
    expect((await threadAs(5)).find((x) => x.id === d.id).status).toBe('visible');
    expectError(await act(mod, `comments/${d.id}/dismiss`, { reason: 'again' }), 409, /no open flags/);
  });

  it('shows the author’s earlier moderation in the queue', async () => {
    const e = await comment(author, 6, `Another one ${tag()}`);
    await flag(flaggers[1]!, e.id, { reason: 'abuse' }).expect(201);
    const entry = (await queue(mod)).find((x) => x.id === e.id);
    expect(entry.authorHistory.map((h: any) => h.action)).toEqual(['restore', 'hide']);
    expect(entry.authorHistory[1]).toMatchObject({ reason: 'Personal attack', target: { type: 'comment', id: c.id } });
  });

  it('refuses a hidden comment a flag, a moderator their own comment and an administrator’s', async () => {
    const own = await comment(mod, 6, `moderator's own ${tag()}`);
    expectError(await act(mod, `comments/${own.id}/hide`, { reason: 'r' }), 403, /own comment/);
    const admins = await comment(admin, 6, `administrator's ${tag()}`);
    expectError(await act(mod, `comments/${admins.id}/hide`, { reason: 'r' }), 403, /administrator/);
    await act(admin, `comments/${own.id}/hide`, { reason: 'Even moderators' }).expect(200);
    expectError(await flag(flaggers[0]!, own.id), 409, /hidden/);
    expectError(await act(mod, 'comments/999999999/hide', { reason: 'r' }), 404, /comment not found/);
  });

  it('gives moderators no way to change anyone’s words', async () => {
    const other = await comment(author, 6, `My own words ${tag()}`);
    expectError(await request(t.base).patch(`/api/comments/${other.id}`).set(auth(mod)).send({ body: 'rewritten' }), 403, /author/);
    expectError(await request(t.base).patch(`/api/comments/${other.id}`).set(auth(admin)).send({ body: 'rewritten' }), 403, /author/);
    expect((await request(t.base).patch(`/api/moderation/comments/${other.id}`).set(auth(mod)).send({ body: 'x' })).status).toBe(404);
    expect((await threadAs(6)).find((x) => x.id === other.id).body).toBe(other.body);
  });
});

describe('locking an item', () => {
  it('locks with a reason: posting answers 423, the document shows the lock; unlocking reopens', async () => {
    expectError(await act(mod, `consultations/${SLUG}/items/7/lock`, { locked: true }), 400, /reason/);
    expectError(await act(mod, `consultations/${SLUG}/items/7/lock`, { reason: 'r' }), 400, /locked/);
    const res = await act(mod, `consultations/${SLUG}/items/7/lock`, { locked: true, reason: 'Cooling off' }).expect(200);
    expect(res.body).toEqual({ consultation: SLUG, item: 7, locked: true });
    const doc = (await request(t.base).get(`/api/consultations/${SLUG}`).expect(200)).body;
    expect(doc.items[7].locked).toBe(true);
    expectError(await request(t.base).post(thread(7)).set(auth(author)).send({ body: 'too late' }), 423, /locked/);
    expectError(await act(mod, `consultations/${SLUG}/items/7/lock`, { locked: true, reason: 'again' }), 409, /already locked/);
    // Reading goes on.
    await request(t.base).get(thread(7)).expect(200);

    await act(mod, `consultations/${SLUG}/items/7/lock`, { locked: false, reason: 'Calm again' }).expect(200);
    await comment(author, 7, `after the lock ${tag()}`);
    expectError(await act(mod, `consultations/${SLUG}/items/99/lock`, { locked: true, reason: 'r' }), 404, /item not found/);
    expectError(await act(mod, `consultations/no-such-doc/items/1/lock`, { locked: true, reason: 'r' }), 404, /consultation not found/);
  });
});

describe('suspending a participant', () => {
  let p: TestUser;
  beforeAll(async () => {
    p = await createUser(t, { group: 'academia', displayName: `Suspended Zhou ${tag()}` });
  });

  it('suspends until a future date: reading works, commenting, flagging and positions answer 403', async () => {
    const target = await comment(author, 8, `something to flag ${tag()}`);
    const until = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const res = await act(mod, `users/${p.id}/suspend`, { until, reason: 'Repeated abuse' }).expect(200);
    expect(res.body).toMatchObject({ id: p.id, role: 'participant', suspendedUntil: until });
    expect(res.body.email).toBeUndefined();

    expectError(await request(t.base).post(thread(8)).set(auth(p)).send({ body: 'hello' }), 403, /suspended/);
    expectError(await request(t.base).put(`/api/consultations/${SLUG}/items/8/position`).set(auth(p)).send({ stance: 'support' }), 403, /suspended/);
    expectError(await flag(p, target.id), 403, /suspended/);
    await request(t.base).get(thread(8)).set(auth(p)).expect(200);
    await request(t.base).get(`/api/consultations/${SLUG}`).set(auth(p)).expect(200);
    await request(t.base).get(`/api/consultations/${SLUG}/items/8/tally`).set(auth(p)).expect(200);
    expect((await notifications(p)).notifications[0]).toMatchObject({ type: 'account.suspended', reason: 'Repeated abuse', until });
  });

  it('lifts a suspension with until: null; refuses a past date', async () => {
    expectError(await act(mod, `users/${p.id}/suspend`, { until: '2020-01-01T00:00:00Z', reason: 'r' }), 400, /until/);
    expectError(await act(mod, `users/${p.id}/suspend`, { until: 'next week', reason: 'r' }), 400, /until/);
    expectError(await act(mod, `users/${p.id}/suspend`, { until: null }), 400, /reason/);
    const res = await act(mod, `users/${p.id}/suspend`, { until: null, reason: 'Apology accepted' }).expect(200);
    expect(res.body.suspendedUntil).toBeNull();
    await comment(p, 8, `back again ${tag()}`);
    await request(t.base).put(`/api/consultations/${SLUG}/items/8/position`).set(auth(p)).send({ stance: 'support' }).expect(200);
    expect((await notifications(p)).notifications[0]).toMatchObject({ type: 'account.unsuspended', reason: 'Apology accepted', until: null });
    expectError(await act(mod, `users/${p.id}/suspend`, { until: null, reason: 'again' }), 409, /not suspended/);
  });

  it('reads a date as "through that day"', async () => {
    const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const res = await act(mod, `users/${p.id}/suspend`, { until: day, reason: 'Three days' }).expect(200);
    expect(res.body.suspendedUntil).toBe(new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString());
    await act(mod, `users/${p.id}/suspend`, { until: null, reason: 'Lifted early' }).expect(200);
  });

  it('goes down the ranks only: not oneself, not an administrator, a moderator only by an administrator', async () => {
    const far = '2099-01-01';
    expectError(await act(mod, `users/${mod.id}/suspend`, { until: far, reason: 'r' }), 403, /yourself/);
    expectError(await act(mod, `users/${admin.id}/suspend`, { until: far, reason: 'r' }), 403, /administrator/);
    expectError(await act(mod, `users/${mod2.id}/suspend`, { until: far, reason: 'r' }), 403, /only an administrator/);
    expectError(await act(admin, `users/${admin.id}/suspend`, { until: far, reason: 'r' }), 403, /yourself/);
    expectError(await act(mod, `users/00000000-0000-4000-8000-000000000000/suspend`, { until: far, reason: 'r' }), 404, /user not found/);
    expectError(await act(mod, `users/not-a-uuid/suspend`, { until: far, reason: 'r' }), 400, /id/);

    const m3 = await createUser(t, { role: 'moderator', displayName: 'Moderator Wu' });
    await act(admin, `users/${m3.id}/suspend`, { until: far, reason: 'Abused the tools' }).expect(200);
    // A suspended moderator cannot moderate.
    const c = await comment(author, 9, `judge me ${tag()}`);
    expectError(await act(m3, `comments/${c.id}/hide`, { reason: 'r' }), 403, /suspended/);
    await act(admin, `users/${m3.id}/suspend`, { until: null, reason: 'Reinstated' }).expect(200);
  });
});

describe('the logs', () => {
  it('lists every action for moderators, newest first, with who acted, page by page', async () => {
    const log = (await request(t.base).get('/api/moderation/log?limit=200').set(auth(mod)).expect(200)).body as any[];
    const actions = new Set(log.map((e) => e.action));
    for (const a of ['hide', 'restore', 'dismiss', 'lock', 'unlock', 'suspend', 'unsuspend']) expect(actions, a).toContain(a);
    const ids = log.map((e) => e.id);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    const hide = log.find((e) => e.action === 'hide' && e.reason === 'Personal attack');
    expect(hide).toMatchObject({ moderator: { id: mod.id, displayName: modName, role: 'moderator' }, target: { type: 'comment', consultation: SLUG, item: 5, clause: '5.1' } });
    expect(log.find((e) => e.action === 'lock')).toMatchObject({ reason: 'Cooling off', target: { type: 'item', id: 7, consultation: SLUG, item: 7 } });
    expect(log.find((e) => e.action === 'suspend' && e.reason === 'Repeated abuse')).toMatchObject({ target: { type: 'user' }, until: expect.any(String) });

    const page1 = (await request(t.base).get('/api/moderation/log?limit=3').set(auth(mod)).expect(200)).body as any[];
    const page2 = (await request(t.base).get(`/api/moderation/log?limit=3&before=${page1[2].id}`).set(auth(mod)).expect(200)).body as any[];
    expect([...page1, ...page2].map((e) => e.id)).toEqual(ids.slice(0, 6));
  });

  it('cannot be altered in the database: UPDATE, DELETE and TRUNCATE are refused', async () => {
    const { rows } = await t.db.query('SELECT count(*)::int AS n, max(id) AS id FROM moderation_log');
    await expect(t.db.query(`UPDATE moderation_log SET reason = 'rewritten' WHERE id = $1`, [rows[0].id])).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM moderation_log WHERE id = $1`, [rows[0].id])).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM moderation_log`)).rejects.toThrow(/append-only/);
    await expect(t.db.query(`TRUNCATE moderation_log CASCADE`)).rejects.toThrow(/append-only/);
    const after = await t.db.query('SELECT count(*)::int AS n FROM moderation_log WHERE reason = $1', ['rewritten']);
    expect(after.rows[0].n).toBe(0);
    expect((await t.db.query('SELECT count(*)::int AS n FROM moderation_log')).rows[0].n).toBe(rows[0].n);
  });

  it('shows the public the same actions and reasons, naming no moderator', async () => {
    const res = await request(t.base).get(`/api/consultations/${SLUG}/moderation-log?limit=200`).expect(200);
    const log = res.body as any[];
    const reasons = log.map((e) => e.reason);
    for (const r of ['Personal attack', 'On review, a fair criticism', 'Not spam', 'Cooling off', 'Calm again', 'Repeated abuse', 'Apology accepted']) {
      expect(reasons).toContain(r);
    }
    expect(log.every((e) => !('moderator' in e))).toBe(true);
    const json = JSON.stringify(res.body);
    for (const m of [mod, mod2, admin]) {
      expect(json).not.toContain(m.id);
      expect(json).not.toContain(m.email);
    }
    expect(json).not.toContain(modName);
    expect(json).not.toContain(adminName);
    expect(json).not.toMatch(/Moderator Li/);
    // Nor the participants concerned: a suspension shows its reason and end, not whom it concerns.
    expect(log.find((e) => e.reason === 'Repeated abuse')).toMatchObject({ action: 'suspend', target: { type: 'user', id: null, user: null }, until: expect.any(String) });
    expect(json).not.toMatch(/Suspended Zhou/);
    expect(log.find((e) => e.reason === 'Personal attack').target).toMatchObject({ type: 'comment', consultation: SLUG, item: 5, user: null });
    expect((await request(t.base).get('/api/consultations/no-such-doc/moderation-log')).status).toBe(404);
    expectError(await request(t.base).get(`/api/consultations/${SLUG}/moderation-log?limit=0`), 400, /limit/);
  });
});

describe('the write limit and the documentation', () => {
  it('counts flags against WRITE_RATE_PER_MINUTE (429 with Retry-After beyond it)', async () => {
    const limited = await startTestApp({ WRITE_RATE_PER_MINUTE: '2' });
    try {
      const a = await createUser(limited);
      const f = await createUser(limited);
      const ids: number[] = [];
      for (let i = 0; i < 2; i++) {
        // Each participant has their own budget: the author's comments do not spend the flagger's.
        const res = await request(limited.base).post(thread(1)).set(auth(a)).send({ body: `limit ${i}` }).expect(201);
        ids.push(res.body.id);
      }
      const b = await createUser(limited);
      ids.push((await request(limited.base).post(thread(1)).set(auth(b)).send({ body: 'limit 2' }).expect(201)).body.id);
      await request(limited.base).post(`/api/comments/${ids[0]}/flags`).set(auth(f)).send({ reason: 'spam' }).expect(201);
      await request(limited.base).post(`/api/comments/${ids[1]}/flags`).set(auth(f)).send({ reason: 'spam' }).expect(201);
      const res = await request(limited.base).post(`/api/comments/${ids[2]}/flags`).set(auth(f)).send({ reason: 'spam' });
      expect(res.status).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect((await limited.db.query('SELECT count(*)::int AS n FROM comment_flags')).rows[0].n).toBe(2);
    } finally {
      await limited.close();
    }
  });

  it('documents the routes in OpenAPI', async () => {
    const paths = Object.keys((await request(t.base).get('/api/docs-json').expect(200)).body.paths);
    for (const p of [
      '/api/comments/{id}/flags',
      '/api/moderation/queue',
      '/api/moderation/comments/{id}/hide',
      '/api/moderation/comments/{id}/restore',
      '/api/moderation/consultations/{slug}/items/{n}/lock',
      '/api/moderation/users/{id}/suspend',
      '/api/moderation/log',
      '/api/consultations/{slug}/moderation-log',
      '/api/me/notifications',
    ]) {
      expect(paths).toContain(p);
    }
  });
});
