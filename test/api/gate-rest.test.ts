import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { ExportService } from '../../apps/api/src/modules/reports/export.service.js';
import { createUser, startTestApp, type TestApp, type TestUser } from '../support/app.js';

/**
 * One gate, over REST: after a moderator hides a comment and after its author deletes one, the
 * text — the current body and every earlier body (revision) — appears nowhere a reader can reach:
 * both export formats (every ?data=), the report's data (the document and item tallies the report
 * page reads, the public moderation log), the revisions, the thread; after a restore the hidden
 * text is back where it belongs, the deleted one never. Each answer is searched as raw bytes for
 * unique markers, and every search is first shown to find the marker while it is visible, so
 * that a search that could not find anything would fail the test.
 */

const SLUG = 'ai-governance-action-plan';
const ITEM = 6;
let t: TestApp;
let author: TestUser;
let other: TestUser;
let moderator: TestUser;
let exportsService: ExportService;

const tag = (what: string) => `${what}-${randomBytes(6).toString('hex')}`;
/** Unique markers of every body each comment ever had. */
const M = {
  hiddenOld: tag('HIDDEN-OLD'),
  hiddenNow: tag('HIDDEN-NOW'),
  deletedOld: tag('DELETED-OLD'),
  deletedNow: tag('DELETED-NOW'),
  control: tag('CONTROL'),
};
const ids = { hidden: 0, deleted: 0, control: 0 };

const as = (u?: TestUser) => (u ? { Authorization: `Bearer ${u.token}` } : {});

/** The raw bytes of an answer (supertest would parse JSON and CSV differently: we read what was sent). */
async function raw(path: string, u?: TestUser, headers: Record<string, string> = {}): Promise<{ status: number; text: string; headers: Record<string, string> }> {
  const res = await request(t.base)
    .get(path)
    .set({ ...as(u), ...headers })
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  return { status: res.status, text: (res.body as Buffer).toString('utf8'), headers: res.headers as Record<string, string> };
}

const EXPORTS = ['json', 'csv'].flatMap((format) => ['all', 'comments', 'positions'].map((data) => `/api/consultations/${SLUG}/export?format=${format}&data=${data}`));
const REPORT = [
  `/api/consultations/${SLUG}`,
  `/api/consultations/${SLUG}/tally`,
  `/api/consultations/${SLUG}/tally?verified=any`,
  `/api/consultations/${SLUG}/items/${ITEM}/tally`,
  `/api/consultations/${SLUG}/items/${ITEM}/tally?verified=any`,
  `/api/consultations/${SLUG}/moderation-log`,
];
const THREAD = [`/api/consultations/${SLUG}/items/${ITEM}/comments?limit=100`, `/api/consultations/${SLUG}/items/${ITEM}/comments?clause=${ITEM}.1&limit=100`];
const revisionsOf = (id: number) => [`/api/comments/${id}/revisions`, `/api/comments/${id}/revisions?limit=1`];

/** Every answer a reader may get, as [path, viewer label, text]; only 200s are kept, others must be refusals. */
async function sweep(viewers: [string, TestUser | undefined][]): Promise<{ where: string; text: string }[]> {
  const out: { where: string; text: string }[] = [];
  for (const [label, u] of viewers) {
    for (const p of [...EXPORTS, ...REPORT, ...THREAD, ...revisionsOf(ids.hidden), ...revisionsOf(ids.deleted), ...revisionsOf(ids.control)]) {
      const res = await raw(p, u);
      expect([200, 403], `${label} ${p}: ${res.status} ${res.text.slice(0, 200)}`).toContain(res.status);
      out.push({ where: `${label} ${p} (${res.status})`, text: res.text });
    }
    if (u) out.push({ where: `${label} /api/me/notifications`, text: (await raw('/api/me/notifications', u)).text });
  }
  return out;
}

const holding = (answers: { where: string; text: string }[], marker: string) => answers.filter((a) => a.text.includes(marker)).map((a) => a.where);

/** Readers who are not the author: a guest, another participant, a moderator (who reads hidden text only through moderation's own views). */
const readers = (): [string, TestUser | undefined][] => [
  ['guest', undefined],
  ['participant', other],
  ['moderator', moderator],
];

async function post(body: string, clauseKey?: string): Promise<number> {
  const res = await request(t.base).post(`/api/consultations/${SLUG}/items/${ITEM}/comments`).set(as(author)).send({ body, ...(clauseKey ? { clauseKey } : {}) });
  expect(res.status).toBe(201);
  return res.body.id;
}

beforeAll(async () => {
  t = await startTestApp();
  exportsService = t.app.get(ExportService);
  author = await createUser(t, { group: 'industry', displayName: 'Gate Author' });
  other = await createUser(t, { group: 'academia' });
  moderator = await createUser(t, { role: 'moderator' });
  ids.hidden = await post(`${M.hiddenOld} first words`, `${ITEM}.1`);
  await request(t.base).patch(`/api/comments/${ids.hidden}`).set(as(author)).send({ body: `${M.hiddenNow} second thoughts` }).expect(200);
  ids.deleted = await post(`${M.deletedOld} regrettable`);
  await request(t.base).patch(`/api/comments/${ids.deleted}`).set(as(author)).send({ body: `${M.deletedNow} still regrettable` }).expect(200);
  ids.control = await post(`${M.control} stays`, `${ITEM}.1`);
  await request(t.base).put(`/api/consultations/${SLUG}/items/${ITEM}/position`).set(as(author)).send({ stance: 'support', reason: 'a reason' }).expect(200);
});
afterAll(async () => t?.close());

describe('one gate over REST: hide, delete, restore', () => {
  const before: Record<string, string> = {};

  it('shows every text, current and earlier, while the comments are visible (the searches can find)', async () => {
    const answers = await sweep(readers());
    for (const m of Object.values(M)) expect(holding(answers, m).length, m).toBeGreaterThan(0);
    // The current bodies are in both exports and the thread; the earlier ones in the revisions.
    for (const m of [M.hiddenNow, M.deletedNow, M.control]) {
      for (const fmt of ['json', 'csv']) expect(holding(answers, m).some((w) => w.startsWith(`guest /api/consultations/${SLUG}/export?format=${fmt}&data=all`)), `${m} ${fmt}`).toBe(true);
      expect(holding(answers, m).some((w) => w.includes('/comments?limit=100'))).toBe(true);
    }
    expect(holding(answers, M.hiddenOld)).toContain(`guest /api/comments/${ids.hidden}/revisions (200)`);
    expect(holding(answers, M.deletedOld)).toContain(`participant /api/comments/${ids.deleted}/revisions?limit=1 (200)`);
    // The exports as they are now, kept to show that the cache cannot serve them after the hide.
    for (const p of EXPORTS) before[p] = (await raw(p)).headers.etag!;
  });

  it('after a hide and a delete, neither text nor any earlier text is anywhere a reader looks', async () => {
    const buildsBefore = exportsService.builds;
    // Served from the cache while nothing changed: the same ETag, 304 on If-None-Match, no new build.
    for (const p of EXPORTS) {
      expect((await raw(p)).headers.etag).toBe(before[p]);
      expect((await raw(p, undefined, { 'If-None-Match': before[p]! })).status).toBe(304);
    }
    expect(exportsService.builds).toBe(buildsBefore);

    await request(t.base).post(`/api/moderation/comments/${ids.hidden}/hide`).set(as(moderator)).send({ reason: 'personal data' }).expect(200);
    await request(t.base).delete(`/api/comments/${ids.deleted}`).set(as(author)).expect(204);

    const answers = await sweep(readers());
    for (const m of [M.hiddenOld, M.hiddenNow, M.deletedOld, M.deletedNow]) expect(holding(answers, m), m).toEqual([]);
    expect(holding(answers, M.control).length).toBeGreaterThan(0);
    // The exports were rebuilt for the new state (a new ETag), not served from the cache.
    for (const p of EXPORTS) {
      const now = await raw(p, undefined, { 'If-None-Match': before[p]! });
      expect(now.status, p).toBe(200);
      expect(now.headers.etag).not.toBe(before[p]);
    }
    expect(exportsService.builds).toBeGreaterThan(buildsBefore);
    // The comments keep their place, with their status and no body.
    const json = JSON.parse((await raw(`/api/consultations/${SLUG}/export?format=json`)).text);
    const byId = new Map(json.comments.map((c: { id: number }) => [c.id, c]));
    expect(byId.get(ids.hidden)).toMatchObject({ status: 'hidden', body: null, hiddenReason: 'personal data' });
    expect(byId.get(ids.deleted)).toMatchObject({ status: 'deleted', body: null });

    // The rule, not a blanket: the author still reads their hidden comment (never the deleted one).
    const own = await sweep([['author', author]]);
    expect(holding(own, M.hiddenNow).some((w) => w.includes('/comments?limit=100'))).toBe(true);
    expect(holding(own, M.hiddenOld)).toContain(`author /api/comments/${ids.hidden}/revisions (200)`);
    // ...and the author's own view stays out of every shared answer: exports and the report are the public form.
    expect(holding(own, M.hiddenNow).filter((w) => w.includes('/export') || w.includes('/tally') || w.includes('moderation-log'))).toEqual([]);
    for (const m of [M.deletedOld, M.deletedNow]) expect(holding(own, m), m).toEqual([]);
  });

  it('after a restore the hidden text is back where it belongs; the deleted one never comes back', async () => {
    await request(t.base).post(`/api/moderation/comments/${ids.hidden}/restore`).set(as(moderator)).send({ reason: 'on review, fine' }).expect(200);
    const answers = await sweep(readers());
    for (const fmt of ['json', 'csv']) {
      expect(holding(answers, M.hiddenNow)).toContain(`guest /api/consultations/${SLUG}/export?format=${fmt}&data=all (200)`);
      expect(holding(answers, M.hiddenNow)).toContain(`participant /api/consultations/${SLUG}/export?format=${fmt}&data=comments (200)`);
    }
    expect(holding(answers, M.hiddenNow)).toContain(`guest /api/consultations/${SLUG}/items/${ITEM}/comments?limit=100 (200)`);
    expect(holding(answers, M.hiddenNow)).toContain(`guest /api/consultations/${SLUG}/items/${ITEM}/comments?clause=${ITEM}.1&limit=100 (200)`);
    expect(holding(answers, M.hiddenOld)).toContain(`guest /api/comments/${ids.hidden}/revisions (200)`);
    expect(holding(answers, M.hiddenOld)).toContain(`moderator /api/comments/${ids.hidden}/revisions?limit=1 (200)`);
    for (const m of [M.deletedOld, M.deletedNow]) expect(holding(answers, m), m).toEqual([]);
    // Nor does the report (which carries no comment text) ever hold either.
    expect(holding(answers, M.hiddenNow).filter((w) => w.includes('/tally') || w.includes('moderation-log'))).toEqual([]);
  });
});
