import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { ExportService } from '../../apps/api/src/modules/reports/export.service.js';
import { createUser, startTestApp, type TestApp, type TestUser } from '../support/app.js';
import { errorBody } from '../support/errors.js';

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

describe('downloads served per state of the consultation', () => {
  const url = `${base}/export?format=csv`;
  const service = () => t.app.get(ExportService);

  it('sends an ETag, answers 304 to If-None-Match while nothing changed, and builds nothing for a repeat', async () => {
    const first = await request(t.base).get(url).expect(200);
    const etag = first.headers.etag as string;
    // Weak: the same state built twice differs only in exportedAt.
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]{32}"$/);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const builds = service().builds;
    for (let i = 0; i < 5; i++) {
      const again = await request(t.base).get(url).expect(200);
      expect(again.headers.etag).toBe(etag);
      expect(again.text).toBe(first.text);
    }
    const notModified = await request(t.base).get(url).set('If-None-Match', etag).expect(304);
    expect(notModified.text ?? '').toBe('');
    expect(notModified.headers.etag).toBe(etag);
    // Compared weakly, in a list, with or without W/.
    await request(t.base).get(url).set('If-None-Match', `"other", ${etag.slice(2)}`).expect(304);
    await request(t.base).get(url).set('If-None-Match', '*').expect(304);
    await request(t.base).get(url).set('If-None-Match', '"something-else"').expect(200);
    // Repeats cost no build (no query of comments or positions): only the state is read.
    expect(service().builds).toBe(builds);
    // Each format and kind is its own file with its own ETag.
    const json = await request(t.base).get(`${base}/export?format=json`).expect(200);
    const positions = await request(t.base).get(`${base}/export?format=csv&data=positions`).expect(200);
    expect(new Set([etag, json.headers.etag, positions.headers.etag]).size).toBe(3);
  });

  it('is a new file with a new ETag after any change a reader could see: a comment, a position, a profile', async () => {
    let etag = (await request(t.base).get(url).expect(200)).headers.etag as string;
    const changes: [string, () => Promise<unknown>, (csv: string) => void][] = [
      ['a comment', () => comment(alice, 3, 'NEWCOMMENT after the first download'), (csv) => expect(csv).toContain('NEWCOMMENT')],
      [
        'a position',
        () => request(t.base).put(`${base}/items/5/position`).set('Authorization', `Bearer ${carol.token}`).send({ stance: 'oppose', reason: 'NEWPOSITION' }).expect(200),
        (csv) => expect(csv).toContain('NEWPOSITION'),
      ],
      [
        'a display name',
        () => request(t.base).patch('/api/me').set('Authorization', `Bearer ${carol.token}`).send({ displayName: 'Carol Renamed' }).expect(200),
        (csv) => {
          expect(csv).toContain('Carol Renamed');
          expect(csv).not.toContain('卡罗尔');
        },
      ],
    ];
    for (const [what, change, check] of changes) {
      await change();
      const res = await request(t.base).get(url).set('If-None-Match', etag);
      expect(res.status, what).toBe(200);
      expect(res.headers.etag, what).not.toBe(etag);
      check(res.text);
      etag = res.headers.etag as string;
    }
    // Back as the suites below expect it (four positions).
    await request(t.base).delete(`${base}/items/5/position`).set('Authorization', `Bearer ${carol.token}`).expect(204);
    expect((await request(t.base).get(url).set('If-None-Match', etag)).status).toBe(200);
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

// Below: suites with an app of their own, after every test of the shared one (passport keeps one
// JWT strategy per process: the app started last is the one that reads the tokens).
describe('limits on downloads', () => {
  let lt: TestApp;
  beforeAll(async () => {
    lt = await startTestApp({ EXPORT_RATE_PER_MINUTE: '3', TRUST_PROXY: 'true' });
  });
  afterAll(async () => lt?.close());

  it('allows EXPORT_RATE_PER_MINUTE per client address, then 429 with Retry-After; other addresses are not affected', async () => {
    const from = (ip: string, q = '') => request(lt.base).get(`${base}/export${q}`).set('X-Forwarded-For', ip);
    for (let i = 0; i < 3; i++) await from('198.51.100.7', i === 1 ? '?format=csv' : '').expect(200);
    const refused = await from('198.51.100.7').expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.body).toEqual(errorBody(429, expect.stringMatching(/too many downloads/)));
    // A 304 is a download attempt as well.
    await from('198.51.100.7').set('If-None-Match', '"x"').expect(429);
    await from('198.51.100.8').expect(200);
    // IPv6 clients are counted by their /64.
    for (let i = 0; i < 3; i++) await from(`2001:db8:1:2::${i + 1}`).expect(200);
    await from('2001:db8:1:2::99').expect(429);
  });
});

describe('200 parallel guest exports while other people read', () => {
  let lt: TestApp;
  const COMMENTS = 1500;
  beforeAll(async () => {
    lt = await startTestApp({ TRUST_PROXY: 'true', EXPORT_RATE_PER_MINUTE: '10', EXPORT_CONCURRENCY: '2', EXPORT_QUEUE: '16' });
    const u = await createUser(lt, { group: 'government' });
    // A consultation with 1,500 comments, so that a build is real work (the clients run in this
    // process too: much larger files would measure their downloading rather than the server).
    await lt.db.query(
      `INSERT INTO comments (id, consultation_id, item_id, item_number, root_id, depth, author_id, body)
       SELECT n.id, i.consultation_id, i.id, i.number, n.id, 0, $1, 'bulk comment ' || n.g || ' ' || repeat('words ', 10)
         FROM (SELECT nextval(pg_get_serial_sequence('comments', 'id')) AS id, g FROM generate_series(1, $2) g) n
         JOIN items i ON i.number = 1 + n.g % 13
         JOIN consultations c ON c.id = i.consultation_id AND c.slug = $3`,
      [u.id, COMMENTS, SLUG],
    );
  });
  afterAll(async () => lt?.close());

  it('answers other users 200 while exports are queued, limited or refused with Retry-After', async () => {
    const reader = await createUser(lt, { group: 'academia' });
    const writer = await createUser(lt, { group: 'industry' });
    const readerStatuses = new Map<number, number>();
    const exportStatuses = new Map<number, number>();
    const count = (m: Map<number, number>, s: number) => m.set(s, (m.get(s) ?? 0) + 1);
    let done = false;
    /** Printed, never asserted: how long other people waited for an answer during the burst. */
    let slowestOther = 0;
    /** A request read to its last byte, as a download is. */
    const get = (path: string, headers: Record<string, string>) =>
      fetch(`${lt.base}${path}`, { headers }).then(async (r) => ({ status: r.status, headers: r.headers, received: (await r.arrayBuffer()).byteLength }));

    // Another user reads as people do (the document, a thread, the tally, their profile), one request after another.
    const reading = (async () => {
      const paths = [`/api/consultations/${SLUG}`, `${base}/items/4/comments?limit=50`, `${base}/tally`, '/api/me'];
      for (let i = 0; !done || i < 8; i++) {
        const started = Date.now();
        const r = await get(paths[i % paths.length]!, { Authorization: `Bearer ${reader.token}`, 'X-Forwarded-For': '203.0.113.200' });
        slowestOther = Math.max(slowestOther, Date.now() - started);
        count(readerStatuses, r.status);
      }
    })();
    // Someone keeps commenting: every comment is a new state of the consultation, so exports cannot all come from one build.
    const writing = (async () => {
      for (let i = 0; !done; i++) {
        const r = await fetch(`${lt.base}${base}/items/2/comments`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${writer.token}`, 'Content-Type': 'application/json', 'X-Forwarded-For': '203.0.113.201' },
          body: JSON.stringify({ body: `written during the burst ${i}` }),
        });
        await r.arrayBuffer();
        count(readerStatuses, r.status === 201 ? 200 : r.status);
      }
    })();

    const retryAfter: number[] = [];
    let exportBytes = 0;
    const burstStarted = Date.now();
    const formats = ['?format=json', '?format=csv', '?format=json&data=comments', '?format=csv&data=comments', '?data=positions', '?format=csv&data=positions'];
    await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const r = await get(`${base}/export${formats[i % formats.length]}`, { 'X-Forwarded-For': `10.${(i >> 8) & 255}.${i & 255}.1` });
        count(exportStatuses, r.status);
        exportBytes += r.received;
        if (r.status !== 200) retryAfter.push(Number(r.headers.get('retry-after')));
      }),
    );
    const burstMs = Date.now() - burstStarted;
    done = true;
    await Promise.all([reading, writing]);

    const gate = lt.app.get(ExportService).gate;
    const fmt = (m: Map<number, number>) => [...m].sort(([a], [b]) => a - b).map(([s, n]) => `${n} × ${s}`).join(', ');
    console.log(`FIGURE: 200 parallel guest exports (${COMMENTS} comments each, ${Math.round(exportBytes / 200 / 1024)} KB on average) from 200 addresses: ${fmt(exportStatuses)} (every refusal with Retry-After)`);
    console.log(`FIGURE: other users' requests during the burst (reads and comments): ${fmt(readerStatuses)}`);
    console.log(`FIGURE: the burst lasted ${burstMs} ms; the slowest read of the other user took ${slowestOther} ms (printed, not asserted)`);
    console.log(`FIGURE: exports built during the burst: ${lt.app.get(ExportService).builds}, at most ${gate.peak} at once (EXPORT_CONCURRENCY 2), ${gate.refused} refused with Retry-After as the queue was full`);

    // Other users: only 200s (reads, and writes counted as 200 when 201).
    expect([...readerStatuses.keys()]).toEqual([200]);
    expect(readerStatuses.get(200)!).toBeGreaterThanOrEqual(8);
    // Exports: served, or told when to come back (429 beyond the queue; 503 if the database kept
    // one waiting past the pool's timeout, which a loaded machine running clients and server in one
    // process can cause), each refusal with Retry-After; never a 500.
    expect([...exportStatuses.keys()].every((s) => s === 200 || s === 429 || s === 503), fmt(exportStatuses)).toBe(true);
    expect(exportStatuses.get(200) ?? 0).toBeGreaterThan(100);
    expect(retryAfter.every((s) => s >= 1)).toBe(true);
    expect(gate.peak).toBeLessThanOrEqual(2);
    expect(gate.active).toBe(0);
  }, 120_000);
});
