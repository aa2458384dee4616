import request from 'supertest';
import { createUser, startTestApp, type TestApp, type TestUser } from '../support/app.js';

const SLUG = 'ai-governance-action-plan';
const base = `/api/consultations/${SLUG}`;
let t: TestApp;
let admin: TestUser;

beforeAll(async () => {
  t = await startTestApp();
  admin = await createUser(t, { role: 'admin' });
});
afterAll(async () => {
  await t?.close();
});

const put = (u: TestUser, item: number, body: object) =>
  request(t.base).put(`${base}/items/${item}/position`).set('Authorization', `Bearer ${u.token}`).send(body);
const del = (u: TestUser, item: number, clause?: string) =>
  request(t.base)
    .delete(`${base}/items/${item}/position${clause ? `?clause=${clause}` : ''}`)
    .set('Authorization', `Bearer ${u.token}`);
const tally = (item: number, query = '') => request(t.base).get(`${base}/items/${item}/tally${query}`).expect(200);

async function stored(userId: string) {
  const { rows } = await t.db.query(`SELECT item_number, clause_key, stance, reason FROM positions WHERE user_id = $1 ORDER BY item_number, clause_key`, [
    userId,
  ]);
  return rows;
}

async function check() {
  const res = await request(t.base).get(`/api/admin/consultations/${SLUG}/tally-check`).set('Authorization', `Bearer ${admin.token}`).expect(200);
  return res.body;
}

describe('taking a position', () => {
  it('answers 200 with the position, replaces it on a second PUT, and counts it once', async () => {
    const u = await createUser(t, { group: 'industry' });
    const first = await put(u, 1, { stance: 'support', reason: 'Good for open source.' }).expect(200);
    expect(first.body).toEqual({ item: 1, clauseKey: null, stance: 'support', reason: 'Good for open source.', updatedAt: expect.any(String) });
    const second = await put(u, 1, { stance: 'oppose' }).expect(200);
    expect(second.body).toMatchObject({ item: 1, clauseKey: null, stance: 'oppose', reason: null });
    expect(await stored(u.id)).toEqual([{ item_number: 1, clause_key: '', stance: 'oppose', reason: null }]);
    const res = await tally(1);
    expect(res.body.byGroup.industry).toMatchObject({ support: 0, oppose: 1, total: 1, supportRatio: 0 });
    expect(res.body.participants).toBe(1);
  });

  it('keeps a position on a clause apart from the position on its item', async () => {
    const u = await createUser(t, { group: 'academia' });
    await put(u, 2, { stance: 'support' }).expect(200);
    const res = await put(u, 2, { stance: 'abstain', clauseKey: '2.1' }).expect(200);
    expect(res.body).toMatchObject({ item: 2, clauseKey: '2.1', stance: 'abstain' });
    expect(await stored(u.id)).toEqual([
      { item_number: 2, clause_key: '', stance: 'support', reason: null },
      { item_number: 2, clause_key: '2.1', stance: 'abstain', reason: null },
    ]);
    const mine = await request(t.base).get(`${base}/positions/mine`).set('Authorization', `Bearer ${u.token}`).expect(200);
    expect(mine.body).toEqual([
      { item: 2, clauseKey: null, stance: 'support', reason: null, updatedAt: expect.any(String) },
      { item: 2, clauseKey: '2.1', stance: 'abstain', reason: null, updatedAt: expect.any(String) },
    ]);
  });

  it('withdraws with DELETE (204), the clause one with ?clause=, and forgets it in the tally', async () => {
    const u = await createUser(t, { group: 'government' });
    await put(u, 3, { stance: 'support' }).expect(200);
    await put(u, 3, { stance: 'oppose', clauseKey: '3.1' }).expect(200);
    await del(u, 3, '3.1').expect(204);
    expect(await stored(u.id)).toEqual([{ item_number: 3, clause_key: '', stance: 'support', reason: null }]);
    expect((await tally(3, '?clause=3.1')).body.participants).toBe(0);
    await del(u, 3).expect(204);
    expect(await stored(u.id)).toEqual([]);
    expect((await tally(3)).body.participants).toBe(0);
    await del(u, 3).expect(204); // nothing left: still fine
  });

  it('keeps a history of every change, withdrawals included', async () => {
    const u = await createUser(t, { group: 'civil_society' });
    await put(u, 4, { stance: 'support' }).expect(200);
    await put(u, 4, { stance: 'support' }).expect(200); // no change: no history
    await put(u, 4, { stance: 'support', reason: 'now with a reason' }).expect(200);
    await put(u, 4, { stance: 'oppose', reason: 'changed my mind' }).expect(200);
    await del(u, 4).expect(204);
    const { rows } = await t.db.query(
      `SELECT action, stance, previous_stance, reason FROM position_history WHERE user_id = $1 ORDER BY id`,
      [u.id],
    );
    expect(rows).toEqual([
      { action: 'taken', stance: 'support', previous_stance: null, reason: null },
      { action: 'changed', stance: 'support', previous_stance: 'support', reason: 'now with a reason' },
      { action: 'changed', stance: 'oppose', previous_stance: 'support', reason: 'changed my mind' },
      { action: 'withdrawn', stance: null, previous_stance: 'oppose', reason: null },
    ]);
  });

  it('lists only the caller’s own positions and requires sign-in', async () => {
    const a = await createUser(t);
    const b = await createUser(t);
    await put(a, 6, { stance: 'support' }).expect(200);
    const mine = await request(t.base).get(`${base}/positions/mine`).set('Authorization', `Bearer ${b.token}`).expect(200);
    expect(mine.body).toEqual([]);
    await request(t.base).get(`${base}/positions/mine`).expect(401);
  });
});

describe('refusals', () => {
  it('needs a signed-in participant', async () => {
    await request(t.base).put(`${base}/items/1/position`).send({ stance: 'support' }).expect(401);
    await request(t.base).delete(`${base}/items/1/position`).expect(401);
  });

  it('answers 400 for an unknown stance, a malformed body, a clause of another item or no such clause', async () => {
    const u = await createUser(t);
    expect((await put(u, 1, { stance: 'maybe' }).expect(400)).body.message).toMatch(/stance/);
    await put(u, 1, {}).expect(400);
    await put(u, 1, { stance: 'support', extra: 1 }).expect(400);
    await put(u, 1, { stance: 'support', clauseKey: 'x' }).expect(400);
    expect((await put(u, 1, { stance: 'support', clauseKey: '2.1' }).expect(400)).body.message).toMatch(/clauseKey: clause 2.1 belongs to item 2/);
    expect((await put(u, 1, { stance: 'support', clauseKey: '1.99' }).expect(400)).body.message).toMatch(/clauseKey: item 1 has no clause 1.99/);
    await put(u, 1, { stance: 'support', reason: 'x'.repeat(2001) }).expect(400);
    await put(u, 1, { stance: 'support', reason: 'bad \u0000 text' }).expect(400);
    await del(u, 1, '2.1').expect(400);
    await request(t.base).get(`${base}/items/1/tally?clause=2.1`).expect(400);
    await request(t.base).get(`${base}/items/1/tally?verified=maybe`).expect(400);
    expect(await stored(u.id)).toEqual([]);
  });

  it('accepts a reason of 2,000 characters', async () => {
    const u = await createUser(t);
    await put(u, 7, { stance: 'support_with_amendments', reason: '改'.repeat(2000) }).expect(200);
  });

  it('answers 404 for an unknown item or consultation', async () => {
    const u = await createUser(t);
    await put(u, 99, { stance: 'support' }).expect(404);
    await request(t.base).put(`/api/consultations/no-such/items/1/position`).set('Authorization', `Bearer ${u.token}`).send({ stance: 'support' }).expect(404);
    await request(t.base).get(`${base}/items/99/tally`).expect(404);
    await request(t.base).get(`/api/consultations/no-such/tally`).expect(404);
  });

  it('answers 403 to a suspended participant', async () => {
    const u = await createUser(t);
    await t.db.query(`UPDATE users SET suspended_until = now() + interval '1 day' WHERE id = $1`, [u.id]);
    await put(u, 1, { stance: 'support' }).expect(403);
    await del(u, 1).expect(403);
    expect(await stored(u.id)).toEqual([]);
  });

  it('answers 423 when the item is locked', async () => {
    const u = await createUser(t);
    await put(u, 8, { stance: 'support' }).expect(200);
    await t.db.query(`UPDATE items SET locked = true WHERE number = 8`);
    try {
      await put(u, 8, { stance: 'oppose' }).expect(423);
      await put(u, 8, { stance: 'oppose', clauseKey: '8.1' }).expect(423);
      await del(u, 8).expect(423);
      expect(await stored(u.id)).toEqual([{ item_number: 8, clause_key: '', stance: 'support', reason: null }]);
    } finally {
      await t.db.query(`UPDATE items SET locked = false WHERE number = 8`);
    }
  });
});

describe('concurrency', () => {
  it('leaves exactly one position after 40 concurrent PUTs by one participant, counted once', async () => {
    const u = await createUser(t, { group: 'academia' });
    const stances = ['support', 'oppose', 'abstain', 'support_with_amendments'];
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => put(u, 9, { stance: stances[i % 4], reason: `attempt ${i}` })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(200));
    const rows = await stored(u.id);
    expect(rows).toHaveLength(1);
    const res = await tally(9);
    expect(res.body.participants).toBe(1);
    expect(res.body.byGroup.academia.total).toBe(1);
    expect(res.body.byGroup.academia[rows[0].stance]).toBe(1);
    expect((await check()).ok).toBe(true);
  });

  it('keeps at most one position under 40 concurrent PUTs and DELETEs on a clause', async () => {
    const u = await createUser(t, { group: 'government' });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? del(u, 9, '9.1') : put(u, 9, { stance: i % 2 ? 'support' : 'oppose', clauseKey: '9.1' }))),
    );
    expect(results.every((r) => r.status === 200 || r.status === 204)).toBe(true);
    const rows = (await stored(u.id)).filter((r) => r.clause_key === '9.1');
    expect(rows.length).toBeLessThanOrEqual(1);
    expect((await tally(9, '?clause=9.1')).body.participants).toBe(rows.length);
    expect((await check()).ok).toBe(true);
  });

  it('counts 40 participants taking positions at once, none lost', async () => {
    const users = await Promise.all(Array.from({ length: 40 }, (_, i) => createUser(t, { group: ['government', 'industry', 'academia', 'civil_society'][i % 4] })));
    const results = await Promise.all(users.map((u, i) => put(u, 10, { stance: i % 5 === 0 ? 'oppose' : 'support' })));
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(200));
    const res = await tally(10);
    expect(res.body.participants).toBe(40);
    for (const g of ['government', 'industry', 'academia', 'civil_society']) expect(res.body.byGroup[g].total).toBe(10);
    expect(res.body.byGroup.government.oppose + res.body.byGroup.industry.oppose + res.body.byGroup.academia.oppose + res.body.byGroup.civil_society.oppose).toBe(8);
    expect((await check()).ok).toBe(true);
  });
});

describe('the recount check', () => {
  it('is for administrators only', async () => {
    const u = await createUser(t);
    await request(t.base).get(`/api/admin/consultations/${SLUG}/tally-check`).set('Authorization', `Bearer ${u.token}`).expect(403);
    await request(t.base).get(`/api/admin/consultations/${SLUG}/tally-check`).expect(401);
  });

  it('finds a kept count that no longer matches the positions', async () => {
    const before = await check();
    expect(before.ok).toBe(true);
    const u = await createUser(t, { group: 'industry' });
    await put(u, 11, { stance: 'support' }).expect(200);
    // Tamper with the kept count behind the triggers' back.
    await t.db.query(`UPDATE tally_counts SET n = n + 2 WHERE item_number = 11 AND clause_key = '' AND stakeholder_group = 'industry' AND verified AND stance = 'support'`);
    const after = await check();
    expect(after.ok).toBe(false);
    expect(after.tallyMismatches).toEqual([{ item: 11, clause: null, group: 'industry', verified: true, stance: 'support', kept: 3, actual: 1 }]);
    await t.db.query(`UPDATE tally_counts SET n = n - 2 WHERE item_number = 11 AND clause_key = '' AND stakeholder_group = 'industry' AND verified AND stance = 'support'`);
    expect((await check()).ok).toBe(true);
  });
});

describe('closing the consultation', () => {
  it('refuses positions with 423 once closed and marks the tallies final; reopening allows them again', async () => {
    const u = await createUser(t, { group: 'industry' });
    await put(u, 12, { stance: 'support' }).expect(200);
    expect((await tally(12)).body.final).toBe(false);
    await request(t.base).patch(`/api/admin/consultations/${SLUG}`).set('Authorization', `Bearer ${admin.token}`).send({ status: 'closed' }).expect(200);
    try {
      await put(u, 12, { stance: 'oppose' }).expect(423);
      await put(u, 12, { stance: 'oppose', clauseKey: '12.1' }).expect(423);
      await del(u, 12).expect(423);
      expect(await stored(u.id)).toEqual([{ item_number: 12, clause_key: '', stance: 'support', reason: null }]);
      const item = await tally(12);
      expect(item.body.final).toBe(true);
      expect(item.body.byGroup.industry.support).toBe(1);
      const doc = await request(t.base).get(`${base}/tally`).expect(200);
      expect(doc.body).toMatchObject({ status: 'closed', final: true });
    } finally {
      await request(t.base).patch(`/api/admin/consultations/${SLUG}`).set('Authorization', `Bearer ${admin.token}`).send({ status: 'open' }).expect(200);
    }
    await put(u, 12, { stance: 'oppose' }).expect(200);
  });
});

describe('the write limit', () => {
  it('answers 429 with Retry-After beyond WRITE_RATE_PER_MINUTE position changes', async () => {
    const limited = await startTestApp({ WRITE_RATE_PER_MINUTE: '3' });
    try {
      const u = await createUser(limited, { group: 'industry' });
      const send = (stance: string) =>
        request(limited.base).put(`${base}/items/1/position`).set('Authorization', `Bearer ${u.token}`).send({ stance });
      for (const s of ['support', 'oppose', 'abstain']) await send(s).expect(200);
      const refused = await send('support').expect(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      const { rows } = await limited.db.query(`SELECT stance FROM positions WHERE user_id = $1`, [u.id]);
      expect(rows).toEqual([{ stance: 'abstain' }]);
    } finally {
      await limited.close();
    }
  });
});
