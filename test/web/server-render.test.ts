import type { Browser } from 'playwright-core';
import request from 'supertest';
import { createUser, startTestApp, type TestApp } from '../support/app.js';
import { launchBrowser, openPage } from '../support/browser.js';

/**
 * Text first: every page arrives as HTML drawn by the server (in the reader's language, with the
 * data in it), reads in full with scripts off, and is taken over by the browser without a
 * redraw (no hydration mismatch) before live updates start.
 */
const SLUG = 'ai-governance-action-plan';
const ITEM = `/consultations/${SLUG}/items/13`;
const CLAUSE_13_1 = '支持搭建基于公共利益、各类主体共同参与的包容治理平台。';
let t: TestApp;
let browser: Browser;
let closeBrowser: () => Promise<void>;

beforeAll(async () => {
  t = await startTestApp();
  ({ browser, close: closeBrowser } = await launchBrowser());
});
afterAll(async () => {
  await closeBrowser?.();
  await t?.close();
});

/** 55 comments on item 5: more than the first page (50) the server renders. */
let seeded: Promise<void> | null = null;
function longThread(): Promise<void> {
  seeded ??= (async () => {
    const u = await createUser(t, { displayName: 'Many Words' });
    for (let i = 1; i <= 55; i++) {
      await request(t.base).post(`/api/consultations/${SLUG}/items/5/comments`).set('Authorization', `Bearer ${u.token}`).send({ body: `Paged comment number ${i}.` }).expect(201);
    }
  })();
  return seeded;
}

/** The state element's JSON. */
function stateOf(html: string): { lang: string; queries: { queries: { queryKey: unknown[]; state: { status: string; data?: any } }[] } } {
  const m = /<script type="application\/json" id="__forum_state">([\s\S]*?)<\/script>/.exec(html);
  expect(m, 'state element').not.toBeNull();
  return JSON.parse(m![1]!);
}

describe('pages rendered on the server', () => {
  it('sends item 13 with its clauses, thread and tally in the HTML, the state as JSON, and nothing inline that runs', async () => {
    const u = await createUser(t, { displayName: 'Server Reader' });
    await request(t.base).post(`/api/consultations/${SLUG}/items/13/comments`).set('Authorization', `Bearer ${u.token}`).send({ body: 'Rendered **first** </script><script>alert(1)</script>', clauseKey: '13.1' }).expect(201);
    const res = await request(t.base).get(ITEM).set('Accept-Language', 'zh-CN,zh;q=0.9');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    const html = res.text;
    expect(html).toContain('<html lang="zh-CN" dir="ltr">');
    expect(html).toContain(CLAUSE_13_1);
    expect(html).toContain('inclusive governance platforms');
    expect(html).toContain('<strong>first</strong>');
    expect(html).toContain('Server Reader');
    // Every <script> either loads a file or is the non-executable JSON state.
    for (const m of html.matchAll(/<script\b([^>]*)>/g)) expect(m[1]).toMatch(/\bsrc="\/assets\/|type="application\/json"/);
    expect(html.match(/<script\b/g)!.length).toBe(2);
    // The comment's attempt to end the state element is escaped inside the JSON.
    const state = stateOf(html);
    expect(state.lang).toBe('zh');
    const keys = state.queries.queries.map((q) => JSON.stringify(q.queryKey));
    expect(keys).toEqual(expect.arrayContaining([JSON.stringify(['consultation', SLUG]), JSON.stringify(['comments', SLUG, 13]), JSON.stringify(['tally', SLUG, 13, '', 'verified'])]));
    const thread = state.queries.queries.find((q) => q.queryKey[0] === 'comments')!;
    expect(thread.state.data.comments[0].body).toContain('</script><script>alert(1)</script>');
    // The item page's own chunk is preloaded with the entry.
    expect(html).toMatch(/<link rel="modulepreload" crossorigin href="\/assets\/item-[^"]+\.js">/);
    expect(res.headers['vary']).toMatch(/Accept-Language/);
  });

  it('renders in the language asked for: ?lang=, else the lang cookie, else Accept-Language; Arabic right to left', async () => {
    const en = await request(t.base).get(`/consultations/${SLUG}`).set('Accept-Language', 'en-GB,en;q=0.9');
    expect(en.text).toContain('<html lang="en" dir="ltr">');
    expect(stateOf(en.text).lang).toBe('en');
    const cookie = await request(t.base).get(`/consultations/${SLUG}`).set('Accept-Language', 'en').set('Cookie', 'lang=fr');
    expect(cookie.text).toContain('<html lang="fr" dir="ltr">');
    const query = await request(t.base).get(`/consultations/${SLUG}?lang=ar`).set('Cookie', 'lang=fr');
    expect(query.text).toContain('<html lang="ar" dir="rtl">');
    expect(stateOf(query.text).lang).toBe('ar');
    const none = await request(t.base).get('/');
    expect(none.text).toContain('<html lang="zh-CN" dir="ltr">');
    expect(none.text).toContain('人工智能全球治理行动计划');
  });

  it('answers an unknown consultation, item or path with the not-found page and HTTP 404', async () => {
    for (const p of ['/consultations/no-such-plan', '/consultations/no-such-plan/items/1', `/consultations/${SLUG}/items/999`, `/consultations/${SLUG}/items/abc`, '/no/such/page', '/consultations/Not_A_Slug']) {
      const res = await request(t.base).get(p).set('Accept-Language', 'en');
      expect(res.status, p).toBe(404);
      expect(res.headers['content-type'], p).toMatch(/^text\/html/);
      expect(res.text, p).toMatch(/Page not found/);
    }
    // The server's own files are not the browser's.
    expect((await request(t.base).get('/server/entry-server.js')).status).toBe(404);
  });

  it('pages the thread with real links: the first page, then ?cursor= pages', async () => {
    await longThread();
    const first = await request(t.base).get(`/consultations/${SLUG}/items/5`);
    expect(first.text).toContain('Paged comment number 1.');
    expect(first.text).toContain('Paged comment number 50.');
    expect(first.text).not.toContain('Paged comment number 51.');
    const more = /<a href="\?cursor=([^"]+)" rel="next"/.exec(first.text);
    expect(more).not.toBeNull();
    const second = await request(t.base).get(`/consultations/${SLUG}/items/5?cursor=${more![1]}`);
    expect(second.status).toBe(200);
    expect(second.text).toContain('Paged comment number 51.');
    expect(second.text).toContain('Paged comment number 55.');
    expect(second.text).not.toContain('Paged comment number 50.');
    expect(second.text).not.toMatch(/rel="next" data-testid="thread-more"/);
  });

  it('is taken over by the browser without a redraw or a hydration warning, then goes live', async () => {
    const { page, problems, context } = await openPage(browser);
    // The server's own element, remembered before any script of the page runs.
    await page.addInitScript(() => {
      document.addEventListener('DOMContentLoaded', () => {
        (window as unknown as { __serverClause: Element | null }).__serverClause = document.getElementById('clause-13.1');
      });
    });
    await page.goto(`${t.base}${ITEM}`);
    await page.waitForSelector('html[data-hydrated="true"]');
    expect(await page.evaluate(() => (window as unknown as { __serverClause: Element | null }).__serverClause !== null)).toBe(true);
    expect(await page.evaluate(() => document.getElementById('clause-13.1') === (window as unknown as { __serverClause: Element | null }).__serverClause)).toBe(true);
    // Interactive: choosing a clause filters the thread to it.
    await page.locator('#clause-13\\.2 [data-lang="en"]').click();
    await page.getByText('13.2', { exact: false }).first().waitFor();
    // Live: a comment posted elsewhere reaches the page.
    await page.getByTestId('presence').waitFor();
    const u = await createUser(t, { displayName: 'Live Writer' });
    await request(t.base).post(`/api/consultations/${SLUG}/items/13/comments`).set('Authorization', `Bearer ${u.token}`).send({ body: 'Arrived live after hydration.' }).expect(201);
    await page.getByTestId('new-comments').or(page.getByText('Arrived live after hydration.')).first().waitFor();
    await page.waitForTimeout(300);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('hydrates every page without a warning, in English and in Arabic too', { timeout: 240_000 }, async () => {
    for (const locale of ['zh-CN', 'en-GB', 'ar']) {
      const { page, problems, context } = await openPage(browser, { locale });
      for (const p of ['/', `/consultations/${SLUG}`, ITEM, `/consultations/${SLUG}/report`, `/consultations/${SLUG}/moderation-log`, '/login', '/register', '/moderation', '/profile', '/admin', '/consultations/nothing-here']) {
        await page.goto(`${t.base}${p}`);
        await page.waitForSelector('html[data-hydrated="true"]');
        await page.waitForTimeout(200);
        // (The signed-in pages — moderation, profile, admin — are drawn by the browser alone.)
        // The not-found page's own 404 is the answer asked for, not a problem.
        expect(problems.filter((x) => !/Failed to load resource: .*404/.test(x)), `${locale} ${p}`).toEqual([]);
      }
      await context.close();
    }
  });

  it('with JavaScript off, the document, item 13 and its thread read in full and every link works', async () => {
    const u = await createUser(t, { displayName: 'No Script Reader' });
    await request(t.base).post(`/api/consultations/${SLUG}/items/13/comments`).set('Authorization', `Bearer ${u.token}`).send({ body: 'Read *without* scripts.', clauseKey: '13.3' }).expect(201);
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${t.base}/`);
    await page.getByRole('link', { name: '人工智能全球治理行动计划' }).click();
    await page.waitForURL((u) => u.pathname === `/consultations/${SLUG}`);
    // The whole document: every item and clause.
    expect(await page.locator('[data-clause-key="13.1"][data-lang="zh"]').first().textContent()).toBe(CLAUSE_13_1);
    expect(await page.locator('[data-clause-key="1.1"][data-lang="en"]').count()).toBeGreaterThan(0);
    // To item 13 by its link, then its clauses and thread.
    await page.locator(`a[href="/consultations/${SLUG}/items/13"]`).first().click();
    await page.waitForURL((u) => u.pathname === ITEM);
    expect(await page.locator('[data-clause-key="13.1"][data-lang="zh"]').textContent()).toBe(CLAUSE_13_1);
    await page.locator('.comment', { hasText: 'Read without scripts.' }).waitFor();
    expect(await page.locator('.comment em', { hasText: 'without' }).count()).toBe(1);
    // The sign-in prompt is a link that works too.
    expect(await page.getByRole('link', { name: /登录/ }).count()).toBeGreaterThan(0);
    // Previous and next item (13 is the last).
    await page.locator('.item-pager a[rel="prev"]').click();
    await page.waitForURL((u) => u.pathname === `/consultations/${SLUG}/items/12`);
    await page.locator('[data-clause-key="12.1"]').first().waitFor();
    await page.locator('.item-pager a[rel="next"]').click();
    await page.waitForURL((u) => u.pathname === ITEM);
    // The thread's pages: item 5 has more than one.
    await longThread();
    await page.goto(`${t.base}/consultations/${SLUG}/items/5`);
    await page.getByText('Paged comment number 50.').waitFor();
    await page.getByTestId('thread-more').click();
    await page.waitForURL((u) => u.searchParams.has('cursor'));
    await page.getByText('Paged comment number 55.').waitFor();
    await context.close();
  });
});

