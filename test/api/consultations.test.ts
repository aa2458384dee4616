import request from 'supertest';
import { readFileSync } from 'node:fs';
import { startTestApp, createUser, type TestApp } from '../support/app.js';
import { errorBody } from '../support/errors.js';

const SLUG = 'ai-governance-action-plan';
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('the seeded consultation', () => {
  it('is listed, open', async () => {
    const res = await request(t.base).get('/api/consultations').expect(200);
    expect(res.body).toEqual([
      expect.objectContaining({ slug: SLUG, status: 'open', title: { zh: '人工智能全球治理行动计划', en: 'Global AI Governance Action Plan' } }),
    ]);
  });

  it('has 14 items whose Chinese reproduces the seed verbatim, every clause in English', async () => {
    const res = await request(t.base).get(`/api/consultations/${SLUG}`).expect(200);
    const seed = readFileSync('apps/api/src/modules/consultations/seed/action-plan.zh.md', 'utf8');
    expect(res.body.items).toHaveLength(14);
    for (const item of res.body.items) {
      const zh = item.clauses.map((c: { text: { zh: string } }) => c.text.zh).join('');
      if (item.number > 0) expect(seed).toContain(`、${item.title.zh}。${zh}`);
      for (const c of item.clauses) {
        expect(c.key).toMatch(new RegExp(`^${item.number}\\.\\d+$`));
        expect(c.text.en).not.toBe('');
      }
    }
  });

  it('answers 404 in the contract shape for an unknown slug and 400 for a malformed one', async () => {
    const missing = await request(t.base).get('/api/consultations/no-such-plan').expect(404);
    expect(missing.body).toEqual(errorBody(404, 'consultation not found', {}, 'Not Found'));
    const bad = await request(t.base).get('/api/consultations/..%2F..%2Fetc').expect(400);
    expect(bad.body.statusCode).toBe(400);
  });
});

describe('importing a document', () => {
  const markdown = '# 测试文件\n\n序言第一句。序言第二句。\n\n一、第一项。内容甲。内容乙。\n二、第二项。内容丙。\n';
  const markdownEn = '# Test document\n\n## 0. Preamble\nFirst.\nSecond.\n\n## 1. First item\nA.\nB.\n\n## 2. Second item\nC.\n';

  it('lets an administrator import a two-language document', async () => {
    const admin = await createUser(t, { role: 'admin' });
    const res = await request(t.base)
      .post('/api/admin/consultations')
      .set('Authorization', `Bearer ${admin.token}`)
      .send({ slug: 'test-doc', markdown, markdownEn, status: 'open' })
      .expect(201);
    expect(res.body.items.map((i: { clauses: unknown[] }) => i.clauses.length)).toEqual([2, 2, 1]);
    expect(res.body.items[1].clauses[1]).toEqual({ key: '1.2', paragraph: 0, text: { zh: '内容乙。', en: 'B.' }, commentCount: 0 });
    await request(t.base).post('/api/admin/consultations').set('Authorization', `Bearer ${admin.token}`).send({ slug: 'test-doc', markdown }).expect(409);
  });

  it('names the problem of a misaligned translation', async () => {
    const admin = await createUser(t, { role: 'admin' });
    const res = await request(t.base)
      .post('/api/admin/consultations')
      .set('Authorization', `Bearer ${admin.token}`)
      .send({ slug: 'bad-doc', markdown, markdownEn: markdownEn.replace('B.\n', '') })
      .expect(400);
    expect(res.body.message).toMatch(/markdownEn: item 1/);
  });

  it('refuses guests and participants', async () => {
    await request(t.base).post('/api/admin/consultations').send({ slug: 'x', markdown }).expect(401);
    const p = await createUser(t);
    await request(t.base).post('/api/admin/consultations').set('Authorization', `Bearer ${p.token}`).send({ slug: 'x', markdown }).expect(403);
  });

  it('hides drafts from everyone but administrators', async () => {
    const admin = await createUser(t, { role: 'admin' });
    await request(t.base).post('/api/admin/consultations').set('Authorization', `Bearer ${admin.token}`).send({ slug: 'draft-doc', markdown }).expect(201);
    await request(t.base).get('/api/consultations/draft-doc').expect(404);
    await request(t.base).get('/api/consultations/draft-doc').set('Authorization', `Bearer ${admin.token}`).expect(200);
  });
});

describe('the edges', () => {
  it('reports health with the database', async () => {
    const res = await request(t.base).get('/api/health').expect(200);
    expect(res.body.database.status).toBe('up');
  });

  it('serves OpenAPI', async () => {
    const res = await request(t.base).get('/api/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toContain('/api/consultations/{slug}');
  });

  it('answers malformed JSON with a 400 in the contract shape', async () => {
    const admin = await createUser(t, { role: 'admin' });
    const res = await request(t.base)
      .post('/api/admin/consultations')
      .set('Authorization', `Bearer ${admin.token}`)
      .set('Content-Type', 'application/json')
      .send('{"slug": ')
      .expect(400);
    expect(res.body).toEqual(errorBody(400, 'malformed JSON body', {}, 'Bad Request'));
  });

  it('refuses a forged token with 401 even on a public route', async () => {
    await request(t.base).get('/api/consultations').set('Authorization', 'Bearer not.a.token').expect(401);
  });

  it('sets the security headers', async () => {
    const res = await request(t.base).get('/api/consultations').expect(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('serves the web client compressed, with deep links answered by index.html, and leaves API paths to the API', async () => {
    const page = await request(t.base).get('/consultations/ai-governance-action-plan/items/13').set('Accept-Encoding', 'gzip').expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const script = /<script type="module" crossorigin src="([^"]+)"/.exec(page.text)?.[1];
    expect(script).toBeDefined();
    const js = await request(t.base).get(script!).set('Accept-Encoding', 'gzip').expect(200);
    expect(js.headers['content-encoding']).toBe('gzip');
    expect(js.headers['cache-control']).toContain('immutable');
    const missing = await request(t.base).get('/api/index.html').expect(404);
    expect(missing.body.statusCode).toBe(404);
  });
});
