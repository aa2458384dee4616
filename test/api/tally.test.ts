import request from 'supertest';
import { computeTally, STAKEHOLDER_GROUPS, STANCES, type CountsByGroup, type StakeholderGroup, type Stance } from '@forum/shared';
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
  request(t.base).put(`${base}/items/${item}/position`).set('Authorization', `Bearer ${u.token}`).send(body).expect(200);
const tally = async (item: number, query = '') => (await request(t.base).get(`${base}/items/${item}/tally${query}`).expect(200)).body;
const check = async () =>
  (await request(t.base).get(`/api/admin/consultations/${SLUG}/tally-check`).set('Authorization', `Bearer ${admin.token}`).expect(200)).body;

/** Creates participants of a group and has each take the given stance on a target. */
async function positions(
  item: number,
  spec: Partial<Record<StakeholderGroup, Partial<Record<Stance, number>>>>,
  opts: { clauseKey?: string; verified?: boolean } = {},
): Promise<TestUser[]> {
  const users: TestUser[] = [];
  for (const [group, stances] of Object.entries(spec)) {
    for (const [stance, n] of Object.entries(stances ?? {})) {
      for (let i = 0; i < (n ?? 0); i++) {
        const u = await createUser(t, { group, verified: opts.verified ?? true });
        await put(u, item, { stance, ...(opts.clauseKey ? { clauseKey: opts.clauseKey } : {}) });
        users.push(u);
      }
    }
  }
  return users;
}

const zero = { support: 0, support_with_amendments: 0, oppose: 0, abstain: 0, total: 0, supportRatio: null };

describe('the figures of product.md, through the API', () => {
  it('gives counts, ratios, balancedSupport and a consensus for a known set of verified participants', async () => {
    await positions(1, {
      government: { support: 4, oppose: 1 }, // 0.8
      industry: { support: 2, support_with_amendments: 1, oppose: 1 }, // 0.75
      academia: { support_with_amendments: 3, abstain: 2 }, // 1.0, abstentions outside the ratio
      civil_society: { support: 2, oppose: 1 }, // 2/3
    });
    const res = await tally(1);
    expect(res.target).toEqual({ item: 1, clause: null });
    expect(res.byGroup).toEqual({
      government: { support: 4, support_with_amendments: 0, oppose: 1, abstain: 0, total: 5, supportRatio: 0.8 },
      industry: { support: 2, support_with_amendments: 1, oppose: 1, abstain: 0, total: 4, supportRatio: 0.75 },
      academia: { support: 0, support_with_amendments: 3, oppose: 0, abstain: 2, total: 5, supportRatio: 1 },
      civil_society: { support: 2, support_with_amendments: 0, oppose: 1, abstain: 0, total: 3, supportRatio: 2 / 3 },
    });
    expect(res.balancedSupport).toBe((0.8 + 0.75 + 1 + 2 / 3) / 4);
    expect(res.consensus).toBe(true);
    expect(res.divided).toBe(false); // 1 − 2/3 < 0.4
    expect(res.participants).toBe(17);
    expect(res.rules).toEqual({ minPerGroup: 3, threshold: 0.6, dividedGap: 0.4, verified: 'verified' });
    expect(res.final).toBe(false);
  });

  it('is divided at 0.7 against 0.3 (the rounding case), with no consensus', async () => {
    await positions(2, {
      industry: { support: 7, oppose: 3 }, // 0.7
      academia: { support: 3, oppose: 7 }, // 0.3
    });
    const res = await tally(2);
    expect(res.byGroup.industry.supportRatio).toBe(0.7);
    expect(res.byGroup.academia.supportRatio).toBe(0.3);
    expect(res.byGroup.government).toEqual(zero);
    expect(res.byGroup.civil_society).toEqual(zero);
    expect(res.balancedSupport).toBe(0.5);
    expect(res.divided).toBe(true);
    expect(res.consensus).toBe(false);
    expect(res.participants).toBe(20);
  });

  it('has no consensus when one group is below its minimum, however supportive', async () => {
    await positions(3, {
      government: { support: 3 },
      industry: { support: 3 },
      academia: { support: 3 },
      civil_society: { support: 2, abstain: 3 }, // 2 non-abstaining < 3
    });
    const res = await tally(3);
    expect(res.consensus).toBe(false);
    expect(res.divided).toBe(false);
    expect(res.balancedSupport).toBe(1);
  });

  it('answers an item nobody took a position on with zeros, null ratios and every group listed', async () => {
    const res = await tally(13);
    expect(res).toMatchObject({ target: { item: 13, clause: null }, balancedSupport: null, consensus: false, divided: false, participants: 0 });
    expect(res.byGroup).toEqual({ government: zero, industry: zero, academia: zero, civil_society: zero });
  });
});

describe('who is counted', () => {
  it('counts unverified participants only with ?verified=any', async () => {
    await positions(4, { industry: { support: 2 } });
    await positions(4, { industry: { oppose: 3 }, government: { abstain: 1 } }, { verified: false });
    const verified = await tally(4);
    expect(verified.byGroup.industry).toMatchObject({ support: 2, oppose: 0, total: 2, supportRatio: 1 });
    expect(verified.byGroup.government.total).toBe(0);
    expect(verified.participants).toBe(2);
    const anyone = await tally(4, '?verified=any');
    expect(anyone.byGroup.industry).toMatchObject({ support: 2, oppose: 3, total: 5, supportRatio: 0.4 });
    expect(anyone.byGroup.government).toMatchObject({ abstain: 1, total: 1, supportRatio: null });
    expect(anyone.participants).toBe(6);
    expect(anyone.rules.verified).toBe('any');
    expect((await tally(4, '?verified=verified')).participants).toBe(2);
  });

  it('keeps clause tallies separate from the item tally', async () => {
    const [u] = await positions(5, { academia: { support: 1 } });
    await put(u!, 5, { stance: 'oppose', clauseKey: '5.2' });
    await positions(5, { government: { oppose: 2 } }, { clauseKey: '5.2' });
    await positions(5, { civil_society: { support: 1 } }, { clauseKey: '5.1' });
    const item = await tally(5);
    expect(item.participants).toBe(1);
    expect(item.byGroup.academia).toMatchObject({ support: 1, oppose: 0 });
    const clause = await tally(5, '?clause=5.2');
    expect(clause.target).toEqual({ item: 5, clause: '5.2' });
    expect(clause.participants).toBe(3);
    expect(clause.byGroup.academia).toMatchObject({ support: 0, oppose: 1 });
    expect(clause.byGroup.government).toMatchObject({ oppose: 2, supportRatio: 0 });
    expect((await tally(5, '?clause=5.1')).byGroup.civil_society.support).toBe(1);
  });

  it('moves the counts when an administrator verifies or un-verifies a participant, and the recount agrees', async () => {
    const [u] = await positions(6, { civil_society: { oppose: 1 } }, { verified: false });
    await put(u!, 6, { stance: 'support', clauseKey: '6.1' });
    expect((await tally(6)).participants).toBe(0);
    const verify = (verified: boolean) =>
      request(t.base).post(`/api/admin/users/${u!.id}/verification`).set('Authorization', `Bearer ${admin.token}`).send({ verified }).expect(200);
    await verify(true);
    expect((await tally(6)).byGroup.civil_society).toMatchObject({ oppose: 1, total: 1 });
    expect((await tally(6, '?clause=6.1')).byGroup.civil_society).toMatchObject({ support: 1, total: 1 });
    expect((await tally(6, '?verified=any')).participants).toBe(1);
    expect((await check()).ok).toBe(true);
    await verify(false);
    expect((await tally(6)).participants).toBe(0);
    expect((await tally(6, '?verified=any')).participants).toBe(1);
    expect((await check()).ok).toBe(true);
  });

  it('moves the counts when a participant’s group changes', async () => {
    const [u] = await positions(7, { industry: { support: 1 } });
    await t.db.query(`UPDATE users SET stakeholder_group = 'academia' WHERE id = $1`, [u!.id]);
    const res = await tally(7);
    expect(res.byGroup.industry.total).toBe(0);
    expect(res.byGroup.academia).toMatchObject({ support: 1, total: 1 });
    expect((await check()).ok).toBe(true);
  });
});

describe('the document tally', () => {
  it('lists every item with its clauses, coverage per group, and whether the figures are final', async () => {
    const [a] = await positions(8, { government: { support: 1 } });
    await put(a!, 8, { stance: 'oppose', clauseKey: '8.1' }); // same participant: covered once
    await positions(8, { government: { abstain: 1 } }, { clauseKey: '8.2' });
    await positions(8, { industry: { support: 1 } }, { verified: false });

    const doc = (await request(t.base).get(`${base}/tally`).expect(200)).body;
    const consultation = (await request(t.base).get(base).expect(200)).body;
    expect(doc).toMatchObject({ slug: SLUG, status: 'open', final: false, verified: 'verified' });
    expect(doc.items.map((i: { target: { item: number } }) => i.target.item)).toEqual(consultation.items.map((i: { number: number }) => i.number));
    for (const [i, item] of doc.items.entries()) {
      expect(item.clauses.map((c: { target: { clause: string } }) => c.target.clause)).toEqual(consultation.items[i].clauses.map((c: { key: string }) => c.key));
      expect(Object.keys(item.byGroup).sort()).toEqual([...STAKEHOLDER_GROUPS].sort());
    }
    const item8 = doc.items.find((i: { target: { item: number } }) => i.target.item === 8);
    expect(item8.participants).toBe(1);
    expect(item8.clauses.find((c: { target: { clause: string } }) => c.target.clause === '8.1').byGroup.government.oppose).toBe(1);
    expect(item8.coverage).toEqual({ government: 2, industry: 0, academia: 0, civil_society: 0 });
    expect(doc.coverage['8']).toEqual(item8.coverage);
    expect(doc.coverage['1']).toEqual({ government: 5, industry: 4, academia: 5, civil_society: 3 });
    expect(doc.consensusItems).toContain(1);
    expect(doc.dividedItems).toContain(2);
    expect(doc.dividedItems).not.toContain(1);

    const any = (await request(t.base).get(`${base}/tally?verified=any`).expect(200)).body;
    expect(any.coverage['8']).toEqual({ government: 2, industry: 1, academia: 0, civil_society: 0 });
    expect(any.items.find((i: { target: { item: number } }) => i.target.item === 8).participants).toBe(2);
    // the item route and the document agree
    expect(await tally(1)).toEqual(Object.fromEntries(Object.entries(doc.items[1]).filter(([k]) => k !== 'clauses' && k !== 'coverage')));
  });
});

describe('kept counts against a recount', () => {
  it('agree with the positions after many random changes, and the API figures equal the figures computed from the positions', async () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const users = await Promise.all(
      Array.from({ length: 12 }, (_, i) => createUser(t, { group: STAKEHOLDER_GROUPS[i % 4], verified: i % 3 !== 0 })),
    );
    const targets: { item: number; clause?: string }[] = [{ item: 9 }, { item: 9, clause: '9.1' }, { item: 10 }, { item: 10, clause: '10.1' }];
    for (let step = 0; step < 150; step++) {
      const u = users[rand(users.length)]!;
      const target = targets[rand(targets.length)]!;
      const op = rand(10);
      if (op < 6) {
        await put(u, target.item, { stance: STANCES[rand(4)], ...(target.clause ? { clauseKey: target.clause } : {}) });
      } else if (op < 8) {
        await request(t.base)
          .delete(`${base}/items/${target.item}/position${target.clause ? `?clause=${target.clause}` : ''}`)
          .set('Authorization', `Bearer ${u.token}`)
          .expect(204);
      } else if (op < 9) {
        await t.db.query(`UPDATE users SET verified = NOT verified WHERE id = $1`, [u.id]);
      } else {
        await t.db.query(`UPDATE users SET stakeholder_group = $2 WHERE id = $1`, [u.id, STAKEHOLDER_GROUPS[rand(4)]]);
      }
    }
    const result = await check();
    expect(result).toMatchObject({ ok: true, tallyMismatches: [], coverageMismatches: [] });

    for (const target of targets) {
      for (const verified of ['verified', 'any'] as const) {
        const { rows } = await t.db.query(
          `SELECT u.stakeholder_group AS g, p.stance, count(*)::int AS n FROM positions p JOIN users u ON u.id = p.user_id
            WHERE p.item_number = $1 AND p.clause_key = $2 AND (u.verified OR $3) GROUP BY 1, 2`,
          [target.item, target.clause ?? '', verified === 'any'],
        );
        const counts: CountsByGroup = {};
        for (const r of rows) (counts[r.g as StakeholderGroup] ??= {})[r.stance as Stance] = r.n;
        const res = await tally(target.item, `?verified=${verified}${target.clause ? `&clause=${target.clause}` : ''}`);
        expect({ byGroup: res.byGroup, balancedSupport: res.balancedSupport, consensus: res.consensus, divided: res.divided, participants: res.participants }).toEqual(
          computeTally(counts),
        );
      }
    }
  });
});
