import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { createUser, startTestApp, type TestApp } from '../support/app.js';
import { launchBrowser, openPage, signInThroughForm } from '../support/browser.js';

const SLUG = 'ai-governance-action-plan';
const ITEM = `/consultations/${SLUG}/items/13`;
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

function signIn(page: Page, email: string, password: string, next = ITEM): Promise<void> {
  return signInThroughForm(page, t.base, { email, password }, next);
}

describe('discussion in the browser', () => {
  it('registers, signs out and in, posts a comment on clause 13.2 that appears for the author and, live, for another reader', async () => {
    const author = await openPage(browser);
    const reader = await openPage(browser);
    const email = `zhang-${Date.now()}@example.org`;
    const password = 'a long enough password';

    // Join with a stakeholder group.
    await author.page.goto(`${t.base}/register`);
    await author.page.getByLabel('评论时显示的名称').fill('Zhang Min');
    await author.page.getByLabel('电子邮箱').fill(email);
    await author.page.getByLabel('密码').fill(password);
    await author.page.getByLabel(/民间社会/).check();
    await author.page.getByLabel('所属机构').fill('Open Data Lab');
    await author.page.getByLabel('国家或地区').selectOption('CN');
    await author.page.getByRole('button', { name: '创建账户' }).click();
    await author.page.getByTestId('nav-profile').filter({ hasText: 'Zhang Min' }).waitFor();

    // Sign out, then sign in again.
    await author.page.getByRole('button', { name: '退出' }).click();
    await author.page.getByRole('link', { name: '注册' }).waitFor();
    await signIn(author.page, email, password);

    // Another reader, a guest, is on the same item.
    await reader.page.goto(`${t.base}${ITEM}`);
    await reader.page.getByText('暂无评论').waitFor();
    await reader.page.getByTestId('presence').filter({ hasText: '2' }).waitFor();

    // Choose clause 13.2 by clicking it, write, post.
    await author.page.locator('#clause-13\\.2 [data-lang="en"]').click();
    await author.page.getByTestId('composer-anchor').filter({ hasText: '13.2' }).waitFor();
    await author.page.getByLabel('您的评论').fill('Platforms need *public-interest* governance.');
    await author.page.getByRole('button', { name: '发表评论' }).click();
    const mine = author.page.locator('.comment', { hasText: 'governance.' });
    await mine.waitFor();
    expect(await mine.locator('em').textContent()).toBe('public-interest');
    expect(await mine.locator('.comment-author').textContent()).toBe('Zhang Min');
    expect(await mine.textContent()).toContain('Open Data Lab');

    // Stored on the clause, as the author.
    const stored = await request(t.base).get(`/api/consultations/${SLUG}/items/13/comments`).query({ clause: '13.2' }).expect(200);
    expect(stored.body.comments).toEqual([
      expect.objectContaining({ clauseKey: '13.2', body: 'Platforms need *public-interest* governance.', author: expect.objectContaining({ displayName: 'Zhang Min' }) }),
    ]);

    // The reader is told, politely, and the comment waits behind "1 new" until asked for.
    const newButton = reader.page.getByTestId('new-comments');
    await newButton.waitFor();
    expect(await newButton.textContent()).toContain('1');
    expect(await reader.page.getByTestId('announcer').textContent()).toContain('Zhang Min');
    expect(await reader.page.locator('.comment', { hasText: 'governance.' }).count()).toBe(0);
    await newButton.click();
    await reader.page.locator('.comment', { hasText: 'governance.' }).waitFor();
    // Its clause now counts one comment.
    await reader.page.locator('#clause-13\\.2 .clause-comments').filter({ hasText: '1' }).waitFor();

    // A reload keeps the author signed in (the refresh cookie), and the comment is still there.
    await author.page.reload();
    await author.page.getByTestId('nav-profile').filter({ hasText: 'Zhang Min' }).waitFor();
    await author.page.locator('.comment', { hasText: 'governance.' }).waitFor();

    expect(author.problems).toEqual([]);
    expect(reader.problems).toEqual([]);
    await author.context.close();
    await reader.context.close();
  });

  it('renders HTML and script in a comment body as text: nothing runs, no CSP violation', async () => {
    const u = await createUser(t, { displayName: 'Mallory' });
    const bodies = [
      '<img src=x onerror="window.__xss=1">',
      '<script>window.__xss=2</script>',
      '[click](javascript:window.__xss=3) and <a href="javascript:window.__xss=4">a</a>',
      '<iframe srcdoc="<script>parent.__xss=5</script>"></iframe> <svg onload="window.__xss=6"></svg>',
    ];
    for (const body of bodies) {
      await request(t.base).post(`/api/consultations/${SLUG}/items/12/comments`).set('Authorization', `Bearer ${u.token}`).send({ body }).expect(201);
    }
    const { page, problems, context } = await openPage(browser);
    await page.goto(`${t.base}/consultations/${SLUG}/items/12`);
    await page.locator('.comment').nth(bodies.length - 1).waitFor();
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
    // No element of those kinds came out of a comment body, and no javascript: link.
    expect(await page.locator('.comment-body img, .comment-body script, .comment-body iframe, .comment-body svg, .comment-body [onerror], .comment-body [onload]').count()).toBe(0);
    expect(await page.locator('.comment-body a[href^="javascript"]').count()).toBe(0);
    // The author's text is shown as written.
    expect(await page.locator('.comment-body').first().textContent()).toContain('<img src=x onerror="window.__xss=1">');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('anchors a comment to a clause chosen by keyboard, and to a selected passage with its UTF-16 offsets', async () => {
    const email = `quoter-${Date.now()}@example.org`;
    const password = 'another long password';
    await request(t.base).post('/api/auth/register').send({ email, password, displayName: 'Quoter', stakeholderGroup: 'academia' }).expect(201);
    const { page, problems, context } = await openPage(browser);
    await signIn(page, email, password);

    // Keyboard: focus clause 13.3 and press Enter; Space on 13.1 chooses that one instead.
    await page.locator('#clause-13\\.3').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('composer-anchor').filter({ hasText: '13.3' }).waitFor();
    await page.locator('#clause-13\\.1').focus();
    await page.keyboard.press(' ');
    await page.getByTestId('composer-anchor').filter({ hasText: '13.1' }).waitFor();

    // Select a passage of the Chinese text of 13.1 (as a mouse or a finger would), then "comment on this passage".
    const text: string = await page.locator('[data-clause-key="13.1"][data-lang="zh"]').evaluate((el) => {
      const node = el.firstChild!;
      const full = el.textContent!;
      const start = full.indexOf('包容治理平台');
      const range = document.createRange();
      range.setStart(node, start);
      range.setEnd(node, start + '包容治理平台'.length);
      const sel = document.getSelection()!;
      sel.removeAllRanges();
      sel.addRange(range);
      return full;
    });
    await page.getByTestId('passage-button').click();
    await page.getByTestId('composer-anchor').filter({ hasText: '包容治理平台' }).waitFor();
    await page.getByLabel('您的评论').fill('Who convenes it?');
    await page.getByRole('button', { name: '发表评论' }).click();
    await page.locator('.comment', { hasText: 'Who convenes it?' }).locator('.comment-quote', { hasText: '包容治理平台' }).waitFor();

    const start = text.indexOf('包容治理平台');
    const res = await request(t.base).get(`/api/consultations/${SLUG}/items/13/comments`).query({ clause: '13.1' }).expect(200);
    const posted = res.body.comments.find((c: { body: string }) => c.body === 'Who convenes it?');
    expect(posted.clauseKey).toBe('13.1');
    expect(posted.quote).toEqual(
      expect.objectContaining({ lang: 'zh', exact: '包容治理平台', start, end: start + 6, prefix: text.slice(Math.max(0, start - 32), start), suffix: text.slice(start + 6, start + 6 + 32) }),
    );
    expect(problems).toEqual([]);
    await context.close();
  });

  it("edits (keeping the earlier version) and deletes one's own comment, reports another's once, and links carry rel=ugc", async () => {
    const other = await createUser(t, { displayName: 'Other Author', group: 'industry' });
    await request(t.base)
      .post(`/api/consultations/${SLUG}/items/10/comments`)
      .set('Authorization', `Bearer ${other.token}`)
      .send({ body: 'See [the source](https://example.org/plan).' })
      .expect(201);
    const email = `editor-${Date.now()}@example.org`;
    const password = 'editor password 42';
    await request(t.base).post('/api/auth/register').send({ email, password, displayName: 'Editor', stakeholderGroup: 'government' }).expect(201);
    const { page, problems, context } = await openPage(browser);
    await signIn(page, email, password, `/consultations/${SLUG}/items/10`);

    // Someone else's link: followed without referrer or endorsement.
    const theirs = page.locator('.comment', { hasText: 'See the source' });
    await theirs.waitFor();
    expect(await theirs.locator('a', { hasText: 'the source' }).getAttribute('rel')).toBe('noopener noreferrer nofollow ugc');
    expect(await theirs.getByRole('button', { name: '编辑' }).count()).toBe(0);

    // Report it; a second report is refused and said so.
    await theirs.getByRole('button', { name: '举报' }).click();
    await theirs.getByLabel('辱骂或仇恨言论').check();
    await theirs.getByRole('button', { name: '提交举报' }).click();
    await theirs.getByText('谢谢，审核员会进行查看。').waitFor();
    await theirs.getByRole('button', { name: '举报' }).click();
    await theirs.getByRole('button', { name: '举报' }).click();
    await theirs.getByRole('button', { name: '提交举报' }).click();
    await theirs.getByText('您已经举报过这条评论。').waitFor();

    // Post, edit, see the earlier version, delete.
    await page.getByLabel('您的评论').fill('First thoughts.');
    await page.getByRole('button', { name: '发表评论' }).click();
    await page.locator('.comment', { hasText: 'First thoughts.' }).waitFor();
    const id = Number((await page.locator('.comment', { hasText: 'First thoughts.' }).getAttribute('id'))!.replace('comment-', ''));
    const mine = page.locator(`#comment-${id}`);
    await mine.getByRole('button', { name: '编辑' }).click();
    await mine.getByLabel('编辑您的评论').fill('Second thoughts.');
    await mine.getByRole('button', { name: '保存' }).click();
    const edited = page.locator(`#comment-${id}`, { hasText: 'Second thoughts.' });
    await edited.getByRole('button', { name: '已编辑' }).click();
    await edited.locator('.revisions', { hasText: 'First thoughts.' }).waitFor();
    await edited.getByRole('button', { name: '删除' }).click();
    await edited.getByRole('group').getByRole('button', { name: '删除' }).click();
    await page.locator(`#comment-${id}[data-status="deleted"]`, { hasText: '该评论已被作者删除' }).waitFor();
    const res = await request(t.base).get(`/api/consultations/${SLUG}/items/10/comments`).expect(200);
    expect(res.body.comments.find((c: { id: number }) => c.id === id)).toEqual(expect.objectContaining({ status: 'deleted', body: null }));

    // The refused second report is logged by Chromium as a failed load (409); nothing else may be.
    expect(problems.filter((p) => !p.includes('status of 409'))).toEqual([]);
    await context.close();
  });
});
