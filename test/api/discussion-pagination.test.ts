import request from 'supertest';
import { DataSource } from 'typeorm';
import { createUser, startTestApp, type TestApp, type TestUser } from '../support/app.js';

const SLUG = 'ai-governance-action-plan';
const ITEM = 7;
let t: TestApp;
let users: TestUser[];
const created: { id: number; clauseKey: string | null; parentId: number | null }[] = [];

const thread = `/api/consultations/${SLUG}/items/${ITEM}/comments`;

async function post(user: TestUser, body: object) {
  const res = await request(t.base).post(thread).set('Authorization', `Bearer ${user.token}`).send(body).expect(201);
  created.push({ id: res.body.id, clauseKey: res.body.clauseKey, parentId: res.body.parentId });
  return res.body as { id: number };
}

/** Every page of a listing, following nextCursor. */
async function allPages(query: string, from: string | null = null): Promise<{ pages: number[][]; comments: any[] }> {
  const pages: number[][] = [];
  const comments: any[] = [];
  let cursor: string | null = from;
  do {
    const q: string = `${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await request(t.base).get(`${thread}?${q}`).expect(200);
    pages.push(res.body.comments.map((c: { id: number }) => c.id));
    comments.push(...res.body.comments);
    cursor = res.body.nextCursor;
    if (pages.length > 50) throw new Error('the cursor does not advance');
  } while (cursor);
  return { pages, comments };
}

beforeAll(async () => {
  t = await startTestApp();
  users = await Promise.all([createUser(t, { group: 'government' }), createUser(t, { group: 'academia' }), createUser(t, { group: 'industry' })]);
  // 250 comments: roots on the item and on clauses 7.1 / 7.2, replies at several depths, written a few at a time.
  const anchors = [{}, { clauseKey: '7.1' }, { clauseKey: '7.2' }];
  for (let round = 0; round < 25; round++) {
    const roots = await Promise.all(anchors.map((a, i) => post(users[i]!, { body: `root ${round}.${i}`, ...a })));
    const replies = await Promise.all(roots.map((r, i) => post(users[(i + 1) % 3]!, { body: `reply to ${r.id}`, parentId: r.id })));
    await Promise.all(replies.slice(0, 3).map((r, i) => post(users[(i + 2) % 3]!, { body: `deeper ${r.id}`, parentId: r.id })));
    await post(users[round % 3]!, { body: `extra ${round}`, clauseKey: '7.1' });
  }
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('pagination', () => {
  it('returns every comment once, oldest first, 100 at a time', async () => {
    expect(created).toHaveLength(250);
    const { pages, comments } = await allPages('limit=100');
    expect(pages.map((p) => p.length)).toEqual([100, 100, 50]);
    const ids = comments.map((c) => c.id);
    expect(new Set(ids).size).toBe(250);
    expect(ids).toEqual(created.map((c) => c.id).sort((a, b) => a - b));
  });

  it('pages by 50 by default and ends with nextCursor null', async () => {
    const first = await request(t.base).get(thread).expect(200);
    expect(first.body.comments).toHaveLength(50);
    expect(typeof first.body.nextCursor).toBe('string');
    const { pages } = await allPages('limit=50');
    expect(pages.map((p) => p.length)).toEqual([50, 50, 50, 50, 50]);
    const last = await request(t.base).get(`${thread}?limit=100&cursor=${encodeURIComponent(first.body.nextCursor)}`).expect(200);
    expect(last.body.comments[0].id).toBe(pages[1]![0]);
  });

  it('keeps pages stable while new comments arrive: nothing twice, nothing skipped', async () => {
    const p1 = await request(t.base).get(`${thread}?limit=100`).expect(200);
    const late = await post(users[0]!, { body: 'arrived between pages' });
    const rest = await allPages('limit=100', p1.body.nextCursor);
    const ids = [...p1.body.comments.map((c: { id: number }) => c.id), ...rest.comments.map((c) => c.id)];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[ids.length - 1]).toBe(late.id);
    expect(ids).toHaveLength(created.length);
  });

  it('filters by clause and returns its threads whole, replies included', async () => {
    const { comments } = await allPages('clause=7.1&limit=30');
    const expected = created.filter((c) => c.clauseKey === '7.1').map((c) => c.id);
    expect(expected.length).toBeGreaterThan(75);
    expect(comments.map((c) => c.id)).toEqual(expected.sort((a, b) => a - b));
    const ids = new Set(comments.map((c) => c.id));
    for (const c of comments) {
      expect(c.clauseKey).toBe('7.1');
      if (c.parentId !== null) expect(ids.has(c.parentId)).toBe(true);
    }
    expect(comments.some((c) => c.depth === 2)).toBe(true);
    const other = await allPages('clause=7.2&limit=100');
    expect(other.comments.every((c) => c.clauseKey === '7.2')).toBe(true);
    expect(other.comments).toHaveLength(created.filter((c) => c.clauseKey === '7.2').length);
  });

  it('reads a page with a fixed number of queries, however long the page (no N+1)', async () => {
    const ds = t.app.get(DataSource);
    const spy = vi.spyOn(ds, 'query');
    const queriesFor = async (limit: number) => {
      spy.mockClear();
      await request(t.base).get(`${thread}?limit=${limit}`).expect(200);
      // The relay's own reads of the outbox are not part of the request.
      return spy.mock.calls.map((c) => String(c[0])).filter((sql) => !/FROM events|last_seq FROM consultations/.test(sql));
    };
    try {
      const small = await queriesFor(5);
      const large = await queriesFor(100);
      expect(large).toHaveLength(small.length);
      expect(large.length).toBeLessThanOrEqual(2);
      expect(large.filter((sql) => /FROM comments/.test(sql))).toHaveLength(1);
    } finally {
      spy.mockRestore();
    }
  });
});
