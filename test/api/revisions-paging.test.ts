import request from 'supertest';
import { createUser, startTestApp, type TestApp, type TestUser } from '../support/app.js';

/**
 * GET /api/comments/:id/revisions is paged without changing its shape: the answer is still the
 * JSON array of the contract (`[{body, editedAt}]`), and the next page is named by the
 * `X-Next-Cursor` header and a `Link: <…>; rel="next"` header, absent on the last page.
 */

const SLUG = 'ai-governance-action-plan';
let t: TestApp;
let alice: TestUser;
let bob: TestUser;
let moderator: TestUser;
let commentId: number;
const EDITS = 120;

const revisions = (id: number, query = '', u?: TestUser) => {
  const r = request(t.base).get(`/api/comments/${id}/revisions${query}`);
  return u ? r.set('Authorization', `Bearer ${u.token}`) : r;
};

beforeAll(async () => {
  t = await startTestApp();
  alice = await createUser(t, { group: 'academia' });
  bob = await createUser(t, { group: 'industry' });
  moderator = await createUser(t, { role: 'moderator' });
  const c = await request(t.base).post(`/api/consultations/${SLUG}/items/3/comments`).set('Authorization', `Bearer ${alice.token}`).send({ body: 'version 0' }).expect(201);
  commentId = c.body.id;
  // 120 edits leave 120 earlier bodies: "version 0" … "version 119".
  for (let i = 1; i <= EDITS; i++) {
    await request(t.base).patch(`/api/comments/${commentId}`).set('Authorization', `Bearer ${alice.token}`).send({ body: `version ${i}` }).expect(200);
  }
});
afterAll(async () => t?.close());

/** Follows X-Next-Cursor from the first page to the last; checks Link agrees with it on every page. */
async function walk(id: number, limit: number | null, u?: TestUser): Promise<{ bodies: string[]; pages: number[] }> {
  const bodies: string[] = [];
  const pages: number[] = [];
  let next: string | null = limit === null ? '' : `?limit=${limit}`;
  while (next !== null) {
    const res = await revisions(id, next, u).expect(200);
    expect(Array.isArray(res.body)).toBe(true);
    pages.push(res.body.length);
    for (const r of res.body) {
      expect(Object.keys(r).sort()).toEqual(['body', 'editedAt', 'replacedAt']);
      bodies.push(r.body);
    }
    const cursor = res.headers['x-next-cursor'] as string | undefined;
    const link = res.headers.link as string | undefined;
    if (cursor) {
      expect(link).toBe(`</api/comments/${id}/revisions?cursor=${encodeURIComponent(cursor)}&limit=${limit ?? 50}>; rel="next"`);
      // The Link target is itself a working URL: the page it names is the one the cursor names.
      const viaLink = await revisions(id, link!.slice(link!.indexOf('?'), link!.indexOf('>')), u).expect(200);
      const viaCursor = await revisions(id, `?cursor=${encodeURIComponent(cursor)}${limit === null ? '' : `&limit=${limit}`}`, u).expect(200);
      expect(viaLink.body).toEqual(viaCursor.body);
      next = `?cursor=${encodeURIComponent(cursor)}${limit === null ? '' : `&limit=${limit}`}`;
    } else {
      expect(link).toBeUndefined();
      next = null;
    }
  }
  return { bodies, pages };
}

describe('paged revisions', () => {
  it('answers the first 50 as the array of the contract, and names the next page in X-Next-Cursor and Link', async () => {
    const first = await revisions(commentId).expect(200);
    expect(first.body).toHaveLength(50);
    expect(first.body[0]).toMatchObject({ body: 'version 0', editedAt: expect.any(String) });
    expect(first.body[49].body).toBe('version 49');
    expect(first.headers['x-next-cursor']).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(first.headers.link).toMatch(/rel="next"$/);
  });

  it('walks every earlier body once, oldest first, by the default page and by ?limit=', async () => {
    const all = Array.from({ length: EDITS }, (_, i) => `version ${i}`);
    const byDefault = await walk(commentId, null);
    expect(byDefault.pages).toEqual([50, 50, 20]);
    expect(byDefault.bodies).toEqual(all);
    const by7 = await walk(commentId, 7);
    expect(by7.bodies).toEqual(all);
    expect(by7.pages.length).toBe(Math.ceil(EDITS / 7));
    const by100 = await walk(commentId, 100);
    expect(by100.pages).toEqual([100, 20]);
    // Pages that end exactly at the last revision: no empty page after them.
    expect((await walk(commentId, 60)).pages).toEqual([60, 60]);
  });

  it('has no next page for a comment never edited, or edited exactly `limit` times', async () => {
    const c = await request(t.base).post(`/api/consultations/${SLUG}/items/3/comments`).set('Authorization', `Bearer ${bob.token}`).send({ body: 'once' }).expect(201);
    const none = await revisions(c.body.id).expect(200);
    expect(none.body).toEqual([]);
    expect(none.headers['x-next-cursor']).toBeUndefined();
    for (const b of ['twice', 'thrice']) await request(t.base).patch(`/api/comments/${c.body.id}`).set('Authorization', `Bearer ${bob.token}`).send({ body: b }).expect(200);
    const exact = await revisions(c.body.id, '?limit=2').expect(200);
    expect(exact.body.map((r: { body: string }) => r.body)).toEqual(['once', 'twice']);
    expect(exact.headers['x-next-cursor']).toBeUndefined();
    expect(exact.headers.link).toBeUndefined();
  });

  it('refuses a bad limit or cursor with a 400 naming the field', async () => {
    for (const [q, field] of [
      ['?limit=0', 'limit'],
      ['?limit=101', 'limit'],
      ['?limit=abc', 'limit'],
      ['?limit=1.5', 'limit'],
      ['?cursor=not-a-cursor', 'cursor'],
      [`?cursor=${'x'.repeat(201)}`, 'cursor'],
      ['?page=2', 'page'],
    ] as const) {
      const res = await revisions(commentId, q).expect(400);
      expect(res.body.message, q).toMatch(new RegExp(`^${field}\\b|\\b${field}\\b`));
    }
  });

  it('applies the one visibility rule on every page: hidden → only its author, deleted → nobody', async () => {
    const first = await revisions(commentId).expect(200);
    const cursor = first.headers['x-next-cursor'] as string;
    await request(t.base).post(`/api/moderation/comments/${commentId}/hide`).set('Authorization', `Bearer ${moderator.token}`).send({ reason: 'gate' }).expect(200);
    for (const [u, status] of [
      [undefined, 403],
      [bob, 403],
      [moderator, 403],
      [alice, 200],
    ] as const) {
      const a = await revisions(commentId, '', u);
      const b = await revisions(commentId, `?cursor=${cursor}`, u);
      expect([a.status, b.status], String(u?.id)).toEqual([status, status]);
      if (status === 403) {
        expect(a.text + b.text).not.toMatch(/version \d/);
        expect(a.headers['x-next-cursor']).toBeUndefined();
      }
    }
    await request(t.base).post(`/api/moderation/comments/${commentId}/restore`).set('Authorization', `Bearer ${moderator.token}`).send({ reason: 'back' }).expect(200);
    expect((await revisions(commentId, `?cursor=${cursor}`).expect(200)).body[0].body).toBe('version 50');
    await request(t.base).delete(`/api/comments/${commentId}`).set('Authorization', `Bearer ${alice.token}`).expect(204);
    for (const u of [undefined, bob, moderator, alice]) {
      const a = await revisions(commentId, '', u).expect(403);
      const b = await revisions(commentId, `?cursor=${cursor}`, u).expect(403);
      expect(a.text + b.text).not.toMatch(/version \d/);
    }
  });
});
