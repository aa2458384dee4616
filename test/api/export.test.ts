import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { createUser, startTestApp, type TestApp, type TestUser } from '../support/app.js';

const SLUG = 'ai-governance-action-plan';
const base = `/api/consultations/${SLUG}`;
let t: TestApp;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
const ids: Record<string, number> = {};


/** Reads the export as a spreadsheet would (RFC 4180); every record, the last too, ends with CRLF. */
function parseCsv(text: string): string[][] {
  if (text.length > 0 && !text.endsWith('\r\n')) throw new Error('the last record is not ended by CRLF');
  return parse(text, { record_delimiter: '\r\n' });
}

function records(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((r) => {
    expect(r).toHaveLength(header!.length);
    return Object.fromEntries(header!.map((h, i) => [h, r[i]!]));
  });
}

const comment = async (u: TestUser, item: number, body: string, extra: object = {}) =>
  (await request(t.base).post(`${base}/items/${item}/comments`).set('Authorization', `Bearer ${u.token}`).send({ body, ...extra }).expect(201)).body
    .id as number;

beforeAll(async () => {
  t = await startTestApp();
  alice = await createUser(t, { group: 'academia', displayName: 'Alice "AI" Chen', organization: 'Tsinghua, Beijing' });
  bob = await createUser(t, { group: 'industry', displayName: '=HYPERLINK("http://evil.example","click")', organization: '@corp', verified: false });
  carol = await createUser(t, { group: 'civil_society', displayName: '卡罗尔' });
  await t.db.query(`UPDATE users SET organization = NULL WHERE id = $1`, [carol.id]);
  const put = (u: TestUser, item: number, body: object) =>
    request(t.base).put(`${base}/items/${item}/position`).set('Authorization', `Bearer ${u.token}`).send(body).expect(200);
  await put(alice, 1, { stance: 'support', reason: 'Open, shared,\nand "safe".' });
  await put(alice, 1, { stance: 'oppose', clauseKey: '1.1' });
  await put(bob, 1, { stance: 'support_with_amendments', reason: '-1 for the wording; +1 for the idea' });
  await put(carol, 13, { stance: 'abstain' });

  ids.visible = await comment(alice, 1, 'A visible comment, with a comma.');
  ids.hidden = await comment(bob, 1, 'SECRET spam text');
  ids.deleted = await comment(carol, 2, 'DELETED words');
  ids.reply = await comment(carol, 1, '=1+1 a reply', { parentId: ids.visible });
  await t.db.query(`UPDATE comments SET status = 'hidden', hidden_reason = 'spam' WHERE id = $1`, [ids.hidden]);
  await request(t.base).delete(`/api/comments/${ids.deleted}`).set('Authorization', `Bearer ${carol.token}`).expect(204);
});
afterAll(async () => {
  await t?.close();
});

describe('the JSON export', () => {
  it('is the default, an attachment, with every position and no e-mail address', async () => {
    const res = await request(t.base).get(`${base}/export`).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${SLUG}-export.json"`);
    const body = JSON.parse(res.text);
    expect(body.consultation).toMatchObject({ slug: SLUG, status: 'open', final: false });
    expect(body.positions).toEqual([
      {
        participant: 'Alice "AI" Chen',
        stakeholderGroup: 'academia',
        organization: 'Tsinghua, Beijing',
        verified: true,
        item: 1,
        clause: null,
        stance: 'support',
        reason: 'Open, shared,\nand "safe".',
        updatedAt: expect.any(String),
      },
      expect.objectContaining({ participant: '=HYPERLINK("http://evil.example","click")', verified: false, item: 1, clause: null, stance: 'support_with_amendments' }),
      expect.objectContaining({ participant: 'Alice "AI" Chen', item: 1, clause: '1.1', stance: 'oppose', reason: null }),
      expect.objectContaining({ participant: '卡罗尔', organization: null, item: 13, stance: 'abstain' }),
    ]);
    for (const u of [alice, bob, carol]) expect(res.text).not.toContain(u.email);
    expect(res.text).not.toMatch(/@example\.org/);
    expect(res.text).not.toMatch(/"email"/);
  });

  it('applies moderation to the comments: hidden and deleted keep their place with no body', async () => {
    const body = (await request(t.base).get(`${base}/export?format=json`).expect(200)).body;
    const byId = new Map(body.comments.map((c: { id: number }) => [c.id, c]));
    expect(byId.get(ids.visible)).toMatchObject({ body: 'A visible comment, with a comma.', status: 'visible' });
    expect(byId.get(ids.hidden)).toMatchObject({ body: null, status: 'hidden', hiddenReason: 'spam' });
    expect(byId.get(ids.deleted)).toMatchObject({ body: null, status: 'deleted' });
    expect(byId.get(ids.reply)).toMatchObject({ body: '=1+1 a reply', parentId: ids.visible });
    const text = JSON.stringify(body);
    expect(text).not.toContain('SECRET');
    expect(text).not.toContain('DELETED words');
  });

  it('gives one kind only with ?data=', async () => {
    const positions = (await request(t.base).get(`${base}/export?data=positions`).expect(200)).body;
    expect(positions.positions).toHaveLength(4);
    expect(positions.comments).toBeUndefined();
    const comments = (await request(t.base).get(`${base}/export?data=comments`).expect(200)).body;
    expect(comments.positions).toBeUndefined();
    expect(comments.comments).toHaveLength(4);
  });
});

describe('the CSV export', () => {
  it('is RFC 4180 CSV, an attachment, with positions and comments and no e-mail address', async () => {
    const res = await request(t.base).get(`${base}/export?format=csv`).buffer(true).parse((r, cb) => {
      let data = '';
      r.setEncoding('utf8');
      r.on('data', (c: string) => (data += c));
      r.on('end', () => cb(null, data));
    }).expect(200);
    const text = res.body as string;
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${SLUG}-export.csv"`);
    for (const u of [alice, bob, carol]) expect(text).not.toContain(u.email);
    expect(text).not.toContain('SECRET');
    expect(text).not.toContain('DELETED words');

    const recs = records(text);
    const positions = recs.filter((r) => r.record === 'position');
    const comments = recs.filter((r) => r.record === 'comment');
    expect(positions).toHaveLength(4);
    expect(comments).toHaveLength(4);
    expect(positions[0]).toMatchObject({
      item: '1',
      clause: '',
      participant: 'Alice "AI" Chen',
      stakeholder_group: 'academia',
      organization: 'Tsinghua, Beijing',
      verified: 'true',
      stance: 'support',
      reason: 'Open, shared,\nand "safe".',
    });
    // cells a spreadsheet would run as formulas are defused with a leading quote
    expect(positions[1]).toMatchObject({
      participant: `'=HYPERLINK("http://evil.example","click")`,
      organization: "'@corp",
      reason: "'-1 for the wording; +1 for the idea",
      verified: 'false',
    });
    expect(positions[2]).toMatchObject({ clause: '1.1', stance: 'oppose' });
    const byId = new Map(comments.map((c) => [Number(c.comment_id), c]));
    expect(byId.get(ids.hidden)).toMatchObject({ status: 'hidden', body: '', hidden_reason: 'spam' });
    expect(byId.get(ids.deleted)).toMatchObject({ status: 'deleted', body: '' });
    expect(byId.get(ids.reply)).toMatchObject({ body: "'=1+1 a reply", parent_id: String(ids.visible), participant: '卡罗尔' });
  });

  it('answers 400 for an unknown format and 404 for an unknown consultation', async () => {
    expect((await request(t.base).get(`${base}/export?format=xlsx`).expect(400)).body.message).toMatch(/format/);
    await request(t.base).get(`${base}/export?data=everything`).expect(400);
    await request(t.base).get(`/api/consultations/no-such/export`).expect(404);
  });
});

describe('after closing', () => {
  it('says the export is final', async () => {
    const admin = await createUser(t, { role: 'admin' });
    await request(t.base).patch(`/api/admin/consultations/${SLUG}`).set('Authorization', `Bearer ${admin.token}`).send({ status: 'closed' }).expect(200);
    const body = (await request(t.base).get(`${base}/export`).expect(200)).body;
    expect(body.consultation).toMatchObject({ status: 'closed', final: true });
    expect(body.positions).toHaveLength(4);
  });
});
