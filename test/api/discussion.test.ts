import request from 'supertest';
import { createUser, startTestApp, waitFor, type TestApp, type TestUser } from '../support/app.js';
import { errorBody } from '../support/errors.js';

const SLUG = 'ai-governance-action-plan';
let t: TestApp;
let doc: { items: { number: number; commentCount: number; clauses: { key: string; text: { zh: string; en: string }; commentCount: number }[] }[] };

function clauseText(key: string, lang: 'zh' | 'en'): string {
  const item = doc.items.find((i) => i.number === Number(key.split('.')[0]))!;
  return item.clauses.find((c) => c.key === key)!.text[lang];
}

/** A quote of `exact` as it occurs in the seeded clause, with the offsets a client computes. */
function quoteOf(key: string, lang: 'zh' | 'en', exact: string, context = 4) {
  const text = clauseText(key, lang);
  const start = text.indexOf(exact);
  if (start < 0) throw new Error(`"${exact}" is not in clause ${key}`);
  const end = start + exact.length;
  return { lang, exact, prefix: text.slice(Math.max(0, start - context), start), suffix: text.slice(end, end + context), start, end };
}

const thread = (n: number) => `/api/consultations/${SLUG}/items/${n}/comments`;

function post(user: TestUser | null, n: number, body: object) {
  const r = request(t.base).post(thread(n));
  return user ? r.set('Authorization', `Bearer ${user.token}`).send(body) : r.send(body);
}
function patch(user: TestUser, id: number, body: object) {
  return request(t.base).patch(`/api/comments/${id}`).set('Authorization', `Bearer ${user.token}`).send(body);
}
function del(user: TestUser, id: number) {
  return request(t.base).delete(`/api/comments/${id}`).set('Authorization', `Bearer ${user.token}`);
}
async function page(n: number, query = '', user?: TestUser) {
  const r = request(t.base).get(`${thread(n)}${query}`);
  const res = await (user ? r.set('Authorization', `Bearer ${user.token}`) : r).expect(200);
  return res.body as { comments: any[]; nextCursor: string | null };
}

/** The contract's error shape, with the status and a message that names the problem. */
function expectError(res: request.Response, status: number, message: RegExp) {
  expect(res.status).toBe(status);
  expect(res.body).toEqual(errorBody(status, expect.stringMatching(message), expect.any(Object)));
}

/** Resolves once some backend of the test database waits for a row lock. */
async function waitForLockWait(): Promise<void> {
  await waitFor(
    async () => (await t.db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0].n > 0,
    5000,
    'a write waiting for the lock',
  );
}

let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  t = await startTestApp();
  doc = (await request(t.base).get(`/api/consultations/${SLUG}`).expect(200)).body;
  alice = await createUser(t, { group: 'civil_society', displayName: 'Alice 李', organization: 'Open Data Lab', verified: true });
  bob = await createUser(t, { group: 'industry', displayName: 'Bob', verified: false });
});
afterAll(async () => {
  await t?.close();
});

describe('anchors', () => {
  it('takes a comment on the whole item, on a clause and on a quoted passage, stored as written', async () => {
    const body = '  **Agree** with <script>alert(1)</script> this.\n\n- one\n- two\n';
    const onItem = await post(alice, 13, { body }).expect(201);
    expect(onItem.body).toEqual({
      id: expect.any(Number),
      itemNumber: 13,
      clauseKey: null,
      quote: null,
      parentId: null,
      depth: 0,
      body,
      author: { id: alice.id, displayName: 'Alice 李', stakeholderGroup: 'civil_society', organization: 'Open Data Lab', verified: true },
      status: 'visible',
      hiddenReason: null,
      createdAt: expect.any(String),
      editedAt: null,
    });

    const onClause = await post(bob, 13, { body: 'On 13.2', clauseKey: '13.2' }).expect(201);
    expect(onClause.body).toMatchObject({ clauseKey: '13.2', quote: null, author: { id: bob.id, verified: false } });

    const zh = quoteOf('13.2', 'zh', '伦理、安全合作');
    const onQuote = await post(alice, 13, { body: '伦理与安全', clauseKey: '13.2', quote: zh }).expect(201);
    expect(onQuote.body.quote).toEqual(zh);
    const en = quoteOf('13.2', 'en', 'cooperation on ethics and safety');
    const onEnQuote = await post(bob, 13, { body: 'Ethics', clauseKey: '13.2', quote: { ...en, prefix: undefined, suffix: undefined } }).expect(201);
    expect(onEnQuote.body.quote).toEqual({ lang: 'en', exact: en.exact, start: en.start, end: en.end });

    const all = await page(13);
    expect(all.comments.map((c) => c.id)).toEqual([onItem.body.id, onClause.body.id, onQuote.body.id, onEnQuote.body.id]);
    expect(all.comments[0].body).toBe(body);
    expect(all.nextCursor).toBeNull();
  });

  it('takes a body of exactly 10,000 characters', async () => {
    const res = await post(alice, 11, { body: 'x'.repeat(10_000) }).expect(201);
    expect(res.body.body).toHaveLength(10_000);
  });
});

describe('bad input gets the right 4xx in the contract shape', () => {
  it('refuses empty, blank, oversized and malformed bodies and unknown fields with 400', async () => {
    expectError(await post(alice, 13, { body: '' }), 400, /body/);
    expectError(await post(alice, 13, { body: '  \n ' }), 400, /body: must not be empty/);
    expectError(await post(alice, 13, {}), 400, /body/);
    expectError(await post(alice, 13, { body: 'x'.repeat(10_001) }), 400, /body: must have at most 10000/);
    expectError(await post(alice, 13, { body: 'a\u0000b' }), 400, /body/);
    expectError(await post(alice, 13, { body: 'ok', authorId: bob.id }), 400, /unknown field/);
    expectError(await post(alice, 13, { body: 'ok', parentId: 'x' }), 400, /parentId/);
  });

  it('refuses an unknown clause and a clause of another item with 400 naming clauseKey', async () => {
    expectError(await post(alice, 13, { body: 'x', clauseKey: '13.99' }), 400, /clauseKey: item 13 has no clause 13.99/);
    expectError(await post(alice, 13, { body: 'x', clauseKey: '12.1' }), 400, /clauseKey: clause 12.1 belongs to item 12/);
    expectError(await post(alice, 13, { body: 'x', clauseKey: 'abc' }), 400, /clauseKey/);
  });

  it('refuses a quote that is not in the clause at those offsets', async () => {
    const q = quoteOf('13.2', 'zh', '伦理、安全合作');
    expectError(await post(alice, 13, { body: 'x', clauseKey: '13.2', quote: { ...q, start: q.start + 1, end: q.end + 1 } }), 400, /quote: exact does not match/);
    expectError(await post(alice, 13, { body: 'x', clauseKey: '13.1', quote: q }), 400, /quote/);
    expectError(await post(alice, 13, { body: 'x', clauseKey: '13.2', quote: { ...q, lang: 'en' } }), 400, /quote/);
    expectError(await post(alice, 13, { body: 'x', clauseKey: '13.2', quote: { ...q, prefix: '不对' } }), 400, /quote: prefix/);
    expectError(await post(alice, 13, { body: 'x', clauseKey: '13.2', quote: { ...q, suffix: '不对' } }), 400, /quote: suffix/);
    expectError(await post(alice, 13, { body: 'x', clauseKey: '13.2', quote: { ...q, end: q.end + 1 } }), 400, /quote/);
    expectError(await post(alice, 13, { body: 'x', quote: q }), 400, /quote: a quote needs the clause/);
    const text = clauseText('13.2', 'zh');
    expectError(
      await post(alice, 13, { body: 'x', clauseKey: '13.2', quote: { lang: 'zh', exact: 'x', start: text.length, end: text.length + 1 } }),
      400,
      /quote: end is beyond/,
    );
  });

  it('answers 404 for an unknown item or consultation and 400 for a malformed one', async () => {
    expectError(await post(alice, 99, { body: 'x' }), 404, /item not found/);
    expectError(await request(t.base).get(thread(99)), 404, /item not found/);
    expectError(await request(t.base).post('/api/consultations/no-such-plan/items/1/comments').set('Authorization', `Bearer ${alice.token}`).send({ body: 'x' }), 404, /consultation not found/);
    expectError(await request(t.base).get(`/api/consultations/${SLUG}/items/abc/comments`), 400, /item number/);
  });

  it('refuses a guest with 401, on every write', async () => {
    expectError(await post(null, 13, { body: 'x' }), 401, /token/);
    expectError(await request(t.base).patch('/api/comments/1').send({ body: 'x' }), 401, /token/);
    expectError(await request(t.base).delete('/api/comments/1'), 401, /token/);
  });

  it('answers 404 for an unknown parent and 400 for a parent of another item', async () => {
    expectError(await post(alice, 13, { body: 'x', parentId: 987654 }), 404, /parent comment not found/);
    const elsewhere = await post(alice, 12, { body: 'on item 12' }).expect(201);
    expectError(await post(alice, 13, { body: 'x', parentId: elsewhere.body.id }), 400, /parentId: comment \d+ belongs to another item/);
  });

  it('refuses bad list queries and unknown comment ids', async () => {
    expectError(await request(t.base).get(`${thread(13)}?limit=101`), 400, /limit/);
    expectError(await request(t.base).get(`${thread(13)}?limit=0`), 400, /limit/);
    expectError(await request(t.base).get(`${thread(13)}?cursor=bogus`), 400, /cursor/);
    expectError(await request(t.base).get(`${thread(13)}?clause=12.1`), 400, /clause: clause 12.1 belongs to item 12/);
    expectError(await request(t.base).get(`${thread(13)}?clause=13.99`), 400, /clause: item 13 has no clause/);
    expectError(await request(t.base).get(`${thread(13)}?sort=new`), 400, /unknown field/);
    expectError(await patch(alice, 987654, { body: 'x' }), 404, /comment not found/);
    expectError(await request(t.base).get('/api/comments/987654/revisions'), 404, /comment not found/);
    expectError(await request(t.base).get('/api/comments/abc/revisions'), 400, /comment id/);
  });
});

describe('threads', () => {
  it('a reply carries its parent clause and depth, at any depth', async () => {
    const root = await post(alice, 10, { body: 'root', clauseKey: '10.1' }).expect(201);
    const r1 = await post(bob, 10, { body: 'reply', parentId: root.body.id }).expect(201);
    expect(r1.body).toMatchObject({ parentId: root.body.id, clauseKey: '10.1', depth: 1 });
    const r2 = await post(alice, 10, { body: 'reply to reply', parentId: r1.body.id, clauseKey: '10.1' }).expect(201);
    expect(r2.body).toMatchObject({ parentId: r1.body.id, clauseKey: '10.1', depth: 2 });
    let deepest = r2.body;
    for (let i = 0; i < 6; i++) deepest = (await post(bob, 10, { body: `deeper ${i}`, parentId: deepest.id }).expect(201)).body;
    expect(deepest.depth).toBe(8);
    // A reply with a quote of its parent's clause keeps it.
    const text = clauseText('10.1', 'en');
    const q = { lang: 'en', exact: text.slice(0, 5), start: 0, end: 5 };
    const quoted = await post(alice, 10, { body: 'quoting', parentId: root.body.id, quote: q }).expect(201);
    expect(quoted.body).toMatchObject({ clauseKey: '10.1', quote: q, depth: 1 });

    expectError(await post(alice, 10, { body: 'x', parentId: root.body.id, clauseKey: '10.2' }), 400, /clauseKey: a reply belongs to its parent's clause 10.1/);
    const onItem = await post(alice, 10, { body: 'whole item' }).expect(201);
    expectError(await post(alice, 10, { body: 'x', parentId: onItem.body.id, quote: q }), 400, /quote: a quote needs the clause/);
    const itemReply = await post(bob, 10, { body: 'reply on item', parentId: onItem.body.id }).expect(201);
    expect(itemReply.body).toMatchObject({ clauseKey: null, depth: 1 });
  });
});

describe('edits', () => {
  it('lets the author edit, keeping every earlier body with its time', async () => {
    const c = (await post(alice, 9, { body: 'first' }).expect(201)).body;
    const e1 = (await patch(alice, c.id, { body: 'second' }).expect(200)).body;
    expect(e1).toMatchObject({ id: c.id, body: 'second', createdAt: c.createdAt, status: 'visible' });
    expect(e1.editedAt).not.toBeNull();
    const e2 = (await patch(alice, c.id, { body: 'third' }).expect(200)).body;
    expect(Date.parse(e2.editedAt)).toBeGreaterThanOrEqual(Date.parse(e1.editedAt));
    // The same body again is no new revision.
    await patch(alice, c.id, { body: 'third' }).expect(200);

    const revs = (await request(t.base).get(`/api/comments/${c.id}/revisions`).expect(200)).body;
    expect(revs).toEqual([
      { body: 'first', editedAt: c.createdAt, replacedAt: e1.editedAt },
      { body: 'second', editedAt: e1.editedAt, replacedAt: e2.editedAt },
    ]);
    const inThread = (await page(9)).comments.find((x) => x.id === c.id);
    expect(inThread).toMatchObject({ body: 'third', editedAt: e2.editedAt });
    expect((await request(t.base).get(`/api/comments/${(await post(bob, 9, { body: 'never edited' })).body.id}/revisions`).expect(200)).body).toEqual([]);
  });

  it('refuses edits by anyone else, moderators and administrators included, and bad bodies', async () => {
    const c = (await post(alice, 9, { body: 'mine' }).expect(201)).body;
    expectError(await patch(bob, c.id, { body: 'yours now' }), 403, /only its author/);
    const mod = await createUser(t, { role: 'moderator' });
    const admin = await createUser(t, { role: 'admin' });
    expectError(await patch(mod, c.id, { body: 'moderated' }), 403, /only its author/);
    expectError(await patch(admin, c.id, { body: 'administered' }), 403, /only its author/);
    expectError(await del(mod, c.id), 403, /only its author/);
    expectError(await patch(alice, c.id, { body: '' }), 400, /body/);
    expectError(await patch(alice, c.id, { body: 'x'.repeat(10_001) }), 400, /body/);
    expectError(await patch(alice, c.id, { body: 'x', clauseKey: '9.1' }), 400, /unknown field/);
    expect((await page(9)).comments.find((x) => x.id === c.id).body).toBe('mine');
  });
});

describe('soft delete', () => {
  it('keeps the place and the replies, without the body, for everyone', async () => {
    const before = (await post(bob, 8, { body: 'before' }).expect(201)).body;
    const c = (await post(alice, 8, { body: 'to be deleted', clauseKey: '8.1' }).expect(201)).body;
    await patch(alice, c.id, { body: 'edited, then deleted' }).expect(200);
    const reply = (await post(bob, 8, { body: 'a reply', parentId: c.id }).expect(201)).body;

    expectError(await del(bob, c.id), 403, /only its author/);
    await del(alice, c.id).expect(204);
    await del(alice, c.id).expect(204); // again: nothing changes

    for (const viewer of [undefined, alice, bob]) {
      const { comments } = await page(8, '', viewer);
      expect(comments.map((x) => x.id)).toEqual([before.id, c.id, reply.id]);
      expect(comments[1]).toMatchObject({ id: c.id, status: 'deleted', body: null, clauseKey: '8.1', author: { id: alice.id } });
      expect(comments[2]).toMatchObject({ parentId: c.id, body: 'a reply', status: 'visible' });
    }
    expectError(await request(t.base).get(`/api/comments/${c.id}/revisions`), 403, /deleted comment/);
    expectError(await request(t.base).get(`/api/comments/${c.id}/revisions`).set('Authorization', `Bearer ${alice.token}`), 403, /deleted comment/);
    expectError(await patch(alice, c.id, { body: 'back' }), 409, /deleted comment cannot be edited/);
    expectError(await post(bob, 8, { body: 'reply to nothing', parentId: c.id }), 400, /parentId: cannot reply to a deleted comment/);
  });
});

describe('hidden comments (set by moderation)', () => {
  it('show the status and reason to all, the body only to the author', async () => {
    const c = (await post(alice, 7, { body: 'borderline' }).expect(201)).body;
    await patch(alice, c.id, { body: 'borderline, edited' }).expect(200);
    await t.db.query(`UPDATE comments SET status = 'hidden', hidden_reason = 'Off topic / 离题' WHERE id = $1`, [c.id]);

    for (const viewer of [undefined, bob]) {
      const shown = (await page(7, '', viewer)).comments.find((x) => x.id === c.id);
      expect(shown).toMatchObject({ status: 'hidden', body: null, hiddenReason: 'Off topic / 离题' });
    }
    const own = (await page(7, '', alice)).comments.find((x) => x.id === c.id);
    expect(own).toMatchObject({ status: 'hidden', body: 'borderline, edited', hiddenReason: 'Off topic / 离题' });

    expectError(await request(t.base).get(`/api/comments/${c.id}/revisions`), 403, /hidden comment/);
    expectError(await request(t.base).get(`/api/comments/${c.id}/revisions`).set('Authorization', `Bearer ${bob.token}`), 403, /hidden comment/);
    const revs = await request(t.base).get(`/api/comments/${c.id}/revisions`).set('Authorization', `Bearer ${alice.token}`).expect(200);
    expect(revs.body.map((r: { body: string }) => r.body)).toEqual(['borderline']);
    expectError(await patch(alice, c.id, { body: 'sneaky' }), 409, /hidden comment cannot be edited/);
    expectError(await post(bob, 7, { body: 'x', parentId: c.id }), 400, /parentId: cannot reply to a hidden comment/);
    await del(alice, c.id).expect(204);
    const gone = (await page(7, '', alice)).comments.find((x) => x.id === c.id);
    expect(gone).toMatchObject({ status: 'deleted', body: null, hiddenReason: null });
  });
});

describe('refused writes', () => {
  it('answers 423 on a locked item, for new comments, edits and deletes', async () => {
    const c = (await post(alice, 5, { body: 'before the lock' }).expect(201)).body;
    await t.db.query(`UPDATE items SET locked = true WHERE number = 5`);
    try {
      expectError(await post(alice, 5, { body: 'after the lock' }), 423, /item is locked/);
      expectError(await post(bob, 5, { body: 'reply', parentId: c.id }), 423, /item is locked/);
      expectError(await patch(alice, c.id, { body: 'edit' }), 423, /item is locked/);
      expectError(await del(alice, c.id), 423, /item is locked/);
      await post(alice, 4, { body: 'other items stay open' }).expect(201);
      expect((await page(5)).comments.map((x) => x.body)).toEqual(['before the lock']);
    } finally {
      await t.db.query(`UPDATE items SET locked = false WHERE number = 5`);
    }
    await post(alice, 5, { body: 'after unlocking' }).expect(201);
  });

  it('refuses a comment whose transaction overlaps the lock of its item (no comment lands after a lock)', async () => {
    // A lock the way moderation writes one: the item row, then the consultation's event counter, one transaction.
    const lockTx = await t.db.connect();
    try {
      await lockTx.query('BEGIN');
      await lockTx.query(`UPDATE items SET locked = true WHERE number = 2`);
      await lockTx.query(`SELECT 1 FROM consultations WHERE slug = $1 FOR NO KEY UPDATE`, [SLUG]);
      const pending = post(alice, 2, { body: 'racing the lock' }).then((r) => r);
      // The comment has passed its first check (the lock is not committed yet) and waits for the counter.
      await waitForLockWait();
      await lockTx.query('COMMIT');
      expectError(await pending, 423, /item is locked/);
      expect((await page(2)).comments).toEqual([]);
    } finally {
      lockTx.release();
      await t.db.query(`UPDATE items SET locked = false WHERE number = 2`);
    }
  });

  it('answers 423 while the consultation is closed', async () => {
    const admin = await createUser(t, { role: 'admin' });
    const c = (await post(alice, 6, { body: 'while open' }).expect(201)).body;
    await request(t.base).patch(`/api/admin/consultations/${SLUG}`).set('Authorization', `Bearer ${admin.token}`).send({ status: 'closed' }).expect(200);
    try {
      expectError(await post(alice, 6, { body: 'too late' }), 423, /consultation is closed/);
      expectError(await patch(alice, c.id, { body: 'too late' }), 423, /consultation is closed/);
      expectError(await del(alice, c.id), 423, /consultation is closed/);
      expect((await page(6)).comments).toHaveLength(1); // reading goes on
    } finally {
      await request(t.base).patch(`/api/admin/consultations/${SLUG}`).set('Authorization', `Bearer ${admin.token}`).send({ status: 'open' }).expect(200);
    }
    await post(alice, 6, { body: 'open again' }).expect(201);
  });

  it('answers 403 to a suspended participant, who can still read', async () => {
    const sam = await createUser(t, { group: 'academia' });
    const c = (await post(sam, 4, { body: 'before suspension' }).expect(201)).body;
    await t.db.query(`UPDATE users SET suspended_until = now() + interval '1 day' WHERE id = $1`, [sam.id]);
    expectError(await post(sam, 4, { body: 'x' }), 403, /suspended/);
    expectError(await patch(sam, c.id, { body: 'x' }), 403, /suspended/);
    expectError(await del(sam, c.id), 403, /suspended/);
    expect((await page(4, '', sam)).comments.some((x) => x.id === c.id)).toBe(true);
    await t.db.query(`UPDATE users SET suspended_until = now() - interval '1 second' WHERE id = $1`, [sam.id]);
    await post(sam, 4, { body: 'suspension over' }).expect(201);
  });
});

describe('comment counts on the document', () => {
  it('count visible comments per item and per clause, replies included', async () => {
    const count = async () => {
      const d = (await request(t.base).get(`/api/consultations/${SLUG}`).expect(200)).body;
      const item = d.items.find((i: { number: number }) => i.number === 3);
      return { item: item.commentCount, c1: item.clauses[0].commentCount, c2: item.clauses[1].commentCount, all: d.items.map((i: any) => i.commentCount) };
    };
    const before = await count();
    expect([before.item, before.c1, before.c2]).toEqual([0, 0, 0]);
    const a = (await post(alice, 3, { body: 'item' }).expect(201)).body;
    const b = (await post(alice, 3, { body: 'clause 1', clauseKey: '3.1' }).expect(201)).body;
    await post(bob, 3, { body: 'reply in clause 1', parentId: b.id }).expect(201);
    const text = clauseText('3.2', 'zh');
    await post(bob, 3, { body: 'quote in clause 2', clauseKey: '3.2', quote: { lang: 'zh', exact: text.slice(0, 2), start: 0, end: 2 } }).expect(201);
    expect(await count()).toMatchObject({ item: 4, c1: 2, c2: 1 });

    await del(alice, a.id).expect(204);
    await t.db.query(`UPDATE comments SET status = 'hidden', hidden_reason = 'spam' WHERE id = $1`, [b.id]);
    expect(await count()).toMatchObject({ item: 2, c1: 1, c2: 1 });
    await t.db.query(`UPDATE comments SET status = 'visible', hidden_reason = NULL WHERE id = $1`, [b.id]);
    expect(await count()).toMatchObject({ item: 3, c1: 2, c2: 1 });

    // Every item's count equals its visible comments in the thread.
    const after = await count();
    for (const item of doc.items) {
      const { comments } = await page(item.number, '?limit=100');
      expect(after.all[doc.items.indexOf(item)]).toBe(comments.filter((c) => c.status === 'visible').length);
    }
  });
});
