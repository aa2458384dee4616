import type { Socket } from 'socket.io-client';
import request from 'supertest';
import { connectLive, createUser, emitAck, startTestApp, type TestApp, type TestUser } from '../support/app.js';
import { errorAck, errorBody } from '../support/errors.js';

/**
 * The readable target and the write check are one function each (TargetsService): every route
 * that names a consultation, an item or a clause — and the live channel's subscribe — answers
 * the same status, code, message and fields for the same problem, and every write is refused
 * with the same words for the same reason.
 */

const SLUG = 'ai-governance-action-plan';
const DRAFT = 'one-rule-draft';
let t: TestApp;
let admin: TestUser;
let mod: TestUser;
let author: TestUser;
const sockets: Socket[] = [];

beforeAll(async () => {
  t = await startTestApp();
  admin = await createUser(t, { role: 'admin' });
  mod = await createUser(t, { role: 'moderator' });
  author = await createUser(t);
  await request(t.base)
    .post('/api/admin/consultations')
    .set('Authorization', `Bearer ${admin.token}`)
    .send({ slug: DRAFT, markdown: '# 草案\n\n序言。\n\n一、第一项。内容。\n', status: 'draft' })
    .expect(201);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await t?.close();
});

const auth = (u: TestUser | null) => (u ? { Authorization: `Bearer ${u.token}` } : {});

/** Every way in that names a consultation and an item, as a participant (or a moderator) would use it. */
function routes(slug: string, item: number, as: TestUser) {
  const base = `/api/consultations/${slug}`;
  return {
    'GET comments': request(t.base).get(`${base}/items/${item}/comments`).set(auth(as)),
    'GET item tally': request(t.base).get(`${base}/items/${item}/tally`).set(auth(as)),
    'POST comment': request(t.base).post(`${base}/items/${item}/comments`).set(auth(as)).send({ body: 'hello' }),
    'PUT position': request(t.base).put(`${base}/items/${item}/position`).set(auth(as)).send({ stance: 'support' }),
    'DELETE position': request(t.base).delete(`${base}/items/${item}/position`).set(auth(as)),
    'POST lock': request(t.base).post(`/api/moderation/consultations/${slug}/items/${item}/lock`).set(auth(mod)).send({ locked: true, reason: 'r' }),
  };
}

async function subscribeAck(token: string | undefined, payload: object): Promise<unknown> {
  const s = await connectLive(t, token);
  sockets.push(s);
  return emitAck(s, 'subscribe', payload);
}

describe('the readable target, one rule for every caller', () => {
  it('answers a draft as if it did not exist, everywhere, to everyone but an administrator', async () => {
    for (const [name, req] of Object.entries(routes(DRAFT, 1, author))) {
      const res = await req;
      expect(res.status, name).toBe(404);
      expect(res.body, name).toEqual(errorBody(404, 'consultation not found'));
    }
    for (const path of [`/api/consultations/${DRAFT}`, `/api/consultations/${DRAFT}/tally`, `/api/consultations/${DRAFT}/export`, `/api/consultations/${DRAFT}/moderation-log`]) {
      const res = await request(t.base).get(path).set(auth(author));
      expect(res.body, path).toEqual(errorBody(404, 'consultation not found'));
    }
    expect(await subscribeAck(author.token, { consultation: DRAFT })).toEqual(errorAck(404, 'consultation not found'));
    // The administrator reads the draft through the same rule.
    await request(t.base).get(`/api/consultations/${DRAFT}/items/1/comments`).set(auth(admin)).expect(200);
    await request(t.base).get(`/api/consultations/${DRAFT}/items/1/tally`).set(auth(admin)).expect(200);
    expect(await subscribeAck(admin.token, { consultation: DRAFT, item: 1 })).toMatchObject({ ok: true });
  });

  it('answers an item the consultation does not have with the same 404 on every route and on subscribe', async () => {
    for (const [name, req] of Object.entries(routes(SLUG, 99, author))) {
      const res = await req;
      expect(res.body, name).toEqual(errorBody(404, 'item not found'));
    }
    expect(await subscribeAck(undefined, { consultation: SLUG, item: 99 })).toEqual(errorAck(404, 'item not found'));
  });

  it('answers a clause of another item, or one the item does not have, with a 400 naming the field, whichever route', async () => {
    const base = `/api/consultations/${SLUG}/items/1`;
    const cases: [string, request.Test, string][] = [
      ['GET comments', request(t.base).get(`${base}/comments?clause=2.1`), 'clause'],
      ['GET item tally', request(t.base).get(`${base}/tally?clause=2.1`), 'clause'],
      ['PUT position', request(t.base).put(`${base}/position`).set(auth(author)).send({ stance: 'support', clauseKey: '2.1' }), 'clauseKey'],
      ['DELETE position', request(t.base).delete(`${base}/position?clause=2.1`).set(auth(author)), 'clause'],
      ['POST comment', request(t.base).post(`${base}/comments`).set(auth(author)).send({ body: 'x', clauseKey: '2.1' }), 'clauseKey'],
    ];
    for (const [name, req, field] of cases) {
      const res = await req;
      expect(res.body, name).toEqual(errorBody(400, `${field}: clause 2.1 belongs to item 2, not item 1`, { [field]: 'clause 2.1 belongs to item 2, not item 1' }));
    }
    const missing = await request(t.base).get(`${base}/comments?clause=1.99`);
    expect(missing.body).toEqual(errorBody(400, 'clause: item 1 has no clause 1.99', { clause: 'item 1 has no clause 1.99' }));
    const tally = await request(t.base).get(`${base}/tally?clause=1.99`);
    expect(tally.body).toEqual(missing.body);
  });
});

describe('the write check, one wording', () => {
  /** The refusal of each kind of write, by the same person on the same item. */
  async function refusals(u: TestUser, item: number, commentId: number) {
    const base = `/api/consultations/${SLUG}/items/${item}`;
    const answers = {
      comment: await request(t.base).post(`${base}/comments`).set(auth(u)).send({ body: 'x' }),
      edit: await request(t.base).patch(`/api/comments/${commentId}`).set(auth(u)).send({ body: 'y' }),
      delete: await request(t.base).delete(`/api/comments/${commentId}`).set(auth(u)),
      position: await request(t.base).put(`${base}/position`).set(auth(u)).send({ stance: 'oppose' }),
      withdraw: await request(t.base).delete(`${base}/position`).set(auth(u)),
    };
    return Object.entries(answers).map(([what, res]) => [what, res.status, res.body] as const);
  }

  async function commentOf(u: TestUser, item: number): Promise<number> {
    return (await request(t.base).post(`/api/consultations/${SLUG}/items/${item}/comments`).set(auth(u)).send({ body: 'mine' }).expect(201)).body.id;
  }

  it('refuses a suspended participant every write with the same 403 and words (a flag too)', async () => {
    const sam = await createUser(t);
    const own = await commentOf(sam, 3);
    const other = await commentOf(author, 3);
    await t.db.query(`UPDATE users SET suspended_until = now() + interval '1 day' WHERE id = $1`, [sam.id]);
    const expected = errorBody(403, 'your account is suspended: you can read but not write');
    for (const [what, status, body] of await refusals(sam, 3, own)) {
      expect(status, what).toBe(403);
      expect(body, what).toEqual(expected);
    }
    const flag = await request(t.base).post(`/api/comments/${other}/flags`).set(auth(sam)).send({ reason: 'spam' });
    expect(flag.body).toEqual(expected);
  });

  it('refuses every write on a locked item with the same 423 and words', async () => {
    const own = await commentOf(author, 4);
    await request(t.base).post(`/api/moderation/consultations/${SLUG}/items/4/lock`).set(auth(mod)).send({ locked: true, reason: 'cooling off' }).expect(200);
    try {
      for (const [what, status, body] of await refusals(author, 4, own)) {
        expect(status, what).toBe(423);
        expect(body, what).toEqual(errorBody(423, 'the item is locked (item 4): nothing can be written to it now'));
      }
    } finally {
      await request(t.base).post(`/api/moderation/consultations/${SLUG}/items/4/lock`).set(auth(mod)).send({ locked: false, reason: 'open again' }).expect(200);
    }
    // Locking twice is a conflict, not a second lock.
    const again = await request(t.base).post(`/api/moderation/consultations/${SLUG}/items/4/lock`).set(auth(mod)).send({ locked: false, reason: 'r' });
    expect(again.body).toEqual(errorBody(409, 'item 4 is already unlocked'));
  });

  it('refuses every write in a closed consultation with the same 423 and words', async () => {
    const own = await commentOf(author, 5);
    await request(t.base).patch(`/api/admin/consultations/${SLUG}`).set(auth(admin)).send({ status: 'closed' }).expect(200);
    try {
      for (const [what, status, body] of await refusals(author, 5, own)) {
        expect(status, what).toBe(423);
        expect(body, what).toEqual(errorBody(423, 'the consultation is closed: nothing can be written to it now'));
      }
    } finally {
      await request(t.base).patch(`/api/admin/consultations/${SLUG}`).set(auth(admin)).send({ status: 'open' }).expect(200);
    }
  });
});
