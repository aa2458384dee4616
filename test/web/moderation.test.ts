import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { createUser, startTestApp, type TestApp } from '../support/app.js';
import { launchBrowser, openPage, signInThroughForm } from '../support/browser.js';

const SLUG = 'ai-governance-action-plan';
let t: TestApp;
let browser: Browser;
let closeBrowser: () => Promise<void>;

beforeAll(async () => {
  // WEB_DIST: a build of one's own, when others rebuild apps/web/dist while this runs.
  t = await startTestApp(process.env.WEB_DIST ? { WEB_DIST: process.env.WEB_DIST } : {});
  ({ browser, close: closeBrowser } = await launchBrowser());
});
afterAll(async () => {
  await closeBrowser?.();
  await t?.close();
});

let counter = 0;
/** A participant who can sign in through the form (createUser's have no password). */
async function register(displayName: string, opts: { group?: string; role?: 'moderator' | 'admin' } = {}) {
  counter += 1;
  const email = `mod-web-${counter}-${Date.now()}@example.org`;
  const password = `a long password ${counter}`;
  const res = await request(t.base)
    .post('/api/auth/register')
    .send({ email, password, displayName, stakeholderGroup: opts.group ?? 'academia' })
    .expect(201);
  if (opts.role) await t.db.query('UPDATE users SET role = $1 WHERE id = $2', [opts.role, res.body.user.id]);
  return { id: res.body.user.id as string, token: res.body.accessToken as string, email, password };
}

function signIn(page: Page, who: { email: string; password: string }, next: string): Promise<void> {
  return signInThroughForm(page, t.base, who, next);
}

async function postComment(token: string, item: number, body: string): Promise<number> {
  const res = await request(t.base).post(`/api/consultations/${SLUG}/items/${item}/comments`).set('Authorization', `Bearer ${token}`).send({ body }).expect(201);
  return res.body.id;
}

async function flag(commentId: number, reason: string, note?: string): Promise<void> {
  const u = await createUser(t);
  await request(t.base).post(`/api/comments/${commentId}/flags`).set('Authorization', `Bearer ${u.token}`).send({ reason, note }).expect(201);
}

async function commentStatus(item: number, id: number): Promise<{ status: string; body: string | null; hiddenReason: string | null }> {
  const res = await request(t.base).get(`/api/consultations/${SLUG}/items/${item}/comments`).expect(200);
  return res.body.comments.find((c: { id: number }) => c.id === id);
}

describe('moderation in the browser', () => {
  it('a moderator hides the most flagged comment with a reason: readers see the placeholder live, the author is told, the public log names no moderator', async () => {
    const author = await register('Ada Author', { group: 'civil_society' });
    const moderator = await register('Morgan Moderator', { role: 'moderator' });
    const body = 'Buy cheap watches at example.com today';
    const spam = await postComment(author.token, 5, body);
    const other = await postComment(author.token, 6, 'A remark slightly beside the point');
    await flag(other, 'off_topic');
    await flag(spam, 'spam', 'An advertising link');
    await flag(spam, 'abuse');
    await flag(spam, 'spam');

    const reader = await openPage(browser);
    const writer = await openPage(browser);
    const mod = await openPage(browser);

    // A guest reads item 5; the author sits on the home page.
    await reader.page.goto(`${t.base}/consultations/${SLUG}/items/5`);
    await reader.page.locator(`#comment-${spam}`).filter({ hasText: body }).waitFor();
    await signIn(writer.page, author, '/');
    await writer.page.getByTestId('notifications-button').waitFor();
    expect(await writer.page.getByTestId('notifications-unread').count()).toBe(0);

    // The moderator's queue: most flagged first, with the flags, their reasons and notes, the full text, the context.
    await signIn(mod.page, moderator, '/moderation');
    const cases = mod.page.getByTestId('mod-case');
    await cases.first().waitFor();
    expect(await cases.count()).toBe(2);
    const first = cases.first();
    expect(await first.getAttribute('data-comment-id')).toBe(String(spam));
    expect(await first.textContent()).toContain('3 次举报');
    expect(await first.getByTestId('mod-text').textContent()).toBe(body);
    const flags = await first.getByTestId('mod-flags').textContent();
    expect(flags).toContain('垃圾信息或广告');
    expect(flags).toContain('辱骂或仇恨言论');
    expect(flags).toContain('An advertising link');
    expect(await first.textContent()).toContain('第5条');
    expect(await first.textContent()).toContain('Ada Author');

    // No reason, no action.
    await first.getByRole('button', { name: '隐藏评论' }).click();
    await first.getByText('请说明此操作的理由。').waitFor();
    expect((await commentStatus(5, spam)).status).toBe('visible');

    // With a reason: hidden.
    const reason = 'Advertising, not a contribution to item 5';
    await first.getByLabel('理由').fill(reason);
    await first.getByRole('button', { name: '隐藏评论' }).click();
    await mod.page.getByTestId('moderation-done').filter({ hasText: `评论 #${spam} 已隐藏。` }).waitFor();
    await expect.poll(() => cases.count(), { timeout: 10_000 }).toBe(1);
    expect(await cases.first().getAttribute('data-comment-id')).toBe(String(other));
    expect(await commentStatus(5, spam)).toEqual(expect.objectContaining({ status: 'hidden', body: null, hiddenReason: reason }));

    // The reader, without reloading: the comment keeps its place, shows the reason, and its text is gone.
    const placeholder = reader.page.locator(`#comment-${spam}[data-status="hidden"]`);
    await placeholder.waitFor({ timeout: 10_000 });
    expect(await placeholder.textContent()).toContain(`该评论已被审核员隐藏：${reason}`);
    expect(await reader.page.locator('main').textContent()).not.toContain(body);

    // The author is told, live, with the reason; marking it read clears the count.
    await writer.page.getByTestId('notifications-unread').filter({ hasText: '1' }).waitFor({ timeout: 10_000 });
    await writer.page.getByTestId('notifications-button').click();
    const note = writer.page.getByTestId('notification').first();
    expect(await note.textContent()).toContain('审核员隐藏了您在第5条的评论。');
    expect(await note.textContent()).toContain(`理由：${reason}`);
    await writer.page.getByRole('button', { name: '全部标为已读' }).click();
    await expect.poll(() => writer.page.getByTestId('notifications-unread').count(), { timeout: 10_000 }).toBe(0);
    const inbox = await request(t.base).get('/api/me/notifications').set('Authorization', `Bearer ${author.token}`).expect(200);
    expect(inbox.body.unread).toBe(0);

    // The moderators' log names the moderator.
    await mod.page.getByRole('link', { name: '记录', exact: true }).click();
    const modLog = mod.page.getByTestId('moderation-log');
    await modLog.waitFor();
    const hideRow = modLog.locator('tbody tr[data-action="hide"]');
    expect(await hideRow.textContent()).toContain('Morgan Moderator');
    expect(await hideRow.textContent()).toContain(reason);

    // The public log, linked from the document page: the action and its reason, and no moderator.
    const guest = await openPage(browser);
    await guest.page.goto(`${t.base}/consultations/${SLUG}`);
    await guest.page.getByRole('link', { name: '审核记录' }).click();
    await guest.page.waitForURL((u) => u.pathname === `/consultations/${SLUG}/moderation-log`);
    const publicRow = guest.page.getByTestId('public-log').locator('tbody tr[data-action="hide"]');
    await publicRow.waitFor();
    expect(await publicRow.textContent()).toContain(reason);
    expect(await publicRow.textContent()).toContain(`#${spam}`);
    expect(await guest.page.locator('main').textContent()).not.toContain('Morgan');
    expect(await guest.page.getByTestId('public-log').locator('thead th').allTextContents()).not.toContain('审核员');

    for (const p of [reader, writer, mod, guest]) {
      expect(p.problems).toEqual([]);
      await p.context.close();
    }
  });

  it('restores, locks and suspends from a comment opened by number; the item page and the public log follow', async () => {
    const author = await register('Bo Writer', { group: 'industry' });
    const moderator = await register('Mina Moderator', { role: 'moderator' });
    const id = await postComment(author.token, 7, 'Energy use of data centres matters here');
    await request(t.base).post(`/api/moderation/comments/${id}/hide`).set('Authorization', `Bearer ${moderator.token}`).send({ reason: 'Hidden by mistake' }).expect(200);

    const reader = await openPage(browser);
    await reader.page.goto(`${t.base}/consultations/${SLUG}/items/7`);
    await reader.page.locator(`#comment-${id}[data-status="hidden"]`).waitFor();

    const mod = await openPage(browser);
    await signIn(mod.page, moderator, '/moderation');
    await mod.page.getByLabel('按编号打开评论').fill(String(id));
    await mod.page.getByRole('button', { name: '打开', exact: true }).click();
    const kase = mod.page.getByTestId('mod-case');
    await kase.waitFor();
    expect(await kase.textContent()).toContain('Hidden by mistake');

    // Restore: the reader sees the text again, live.
    await kase.getByLabel('理由').fill('The comment is on topic after all');
    await kase.getByRole('button', { name: '恢复评论' }).click();
    await mod.page.getByTestId('moderation-done').filter({ hasText: `评论 #${id} 已恢复。` }).waitFor();
    await reader.page.locator(`#comment-${id}[data-status="visible"]`).filter({ hasText: 'Energy use of data centres' }).waitFor({ timeout: 10_000 });

    // Lock item 7: the reader's page shows it locked, live.
    await kase.getByLabel('理由').fill('Cooling down a heated thread');
    await kase.getByRole('button', { name: '锁定第7条' }).click();
    await mod.page.getByTestId('moderation-done').filter({ hasText: '第7条已锁定。' }).waitFor();
    await reader.page.locator('.badge-locked').first().waitFor({ timeout: 10_000 });
    await kase.getByRole('button', { name: '解锁第7条' }).waitFor();

    // Suspend the author: a date is needed, then writing is refused and reading works.
    await kase.getByLabel('理由').fill('Repeated off-topic posting');
    await kase.getByRole('button', { name: '暂停 Bo Writer' }).click();
    await kase.getByText('请选择暂停的最后一天。').waitFor();
    const until = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    await kase.getByLabel('暂停作者直至（含当日）').fill(until);
    await kase.getByRole('button', { name: '暂停 Bo Writer' }).click();
    await mod.page.getByTestId('moderation-done').filter({ hasText: 'Bo Writer 已被暂停至' }).waitFor();
    await request(t.base).put(`/api/consultations/${SLUG}/items/8/position`).set('Authorization', `Bearer ${author.token}`).send({ stance: 'support' }).expect(403);
    await request(t.base).get(`/api/consultations/${SLUG}/items/8/comments`).set('Authorization', `Bearer ${author.token}`).expect(200);
    await kase.getByRole('button', { name: '解除 Bo Writer 的暂停' }).waitFor();

    // The public log has all four, with reasons, without the moderator or the suspended participant's name.
    const guest = await openPage(browser);
    await guest.page.goto(`${t.base}/consultations/${SLUG}/moderation-log`);
    const log = guest.page.getByTestId('public-log');
    await log.locator('tbody tr[data-action="suspend"]').waitFor();
    expect(await log.locator('tbody tr').evaluateAll((rows) => rows.slice(0, 4).map((r) => r.getAttribute('data-action')))).toEqual(['suspend', 'lock', 'restore', 'hide']);
    expect(await log.locator('tbody tr[data-action="suspend"]').textContent()).toContain('一位参与者');
    expect(await log.locator('tbody tr[data-action="lock"]').textContent()).toContain('Cooling down a heated thread');
    const text = (await guest.page.locator('main').textContent())!;
    expect(text).not.toContain('Mina');
    expect(text).not.toContain('Bo Writer');

    for (const p of [reader, mod, guest]) {
      expect(p.problems).toEqual([]);
      await p.context.close();
    }
  });

  it('keeps the desk to moderators: a participant is told so in both languages, a guest is asked to sign in', async () => {
    const participant = await register('Pat Participant');
    const guest = await openPage(browser);
    await guest.page.goto(`${t.base}/moderation`);
    const access = guest.page.getByTestId('moderation-access');
    await access.waitFor();
    expect(await access.textContent()).toContain('请使用审核员账户登录后查看此页面。');
    expect(await access.textContent()).toContain('Sign in with a moderator’s account to see this page.');
    expect(await access.getByRole('link').getAttribute('href')).toBe('/login?next=%2Fmoderation');
    expect(await guest.page.getByTestId('mod-queue').count()).toBe(0);

    const member = await openPage(browser);
    await signIn(member.page, participant, '/moderation');
    await member.page.getByTestId('moderation-access').filter({ hasText: '只有审核员和管理员可以查看此页面。' }).waitFor();
    expect(await member.page.getByTestId('moderation-access').textContent()).toContain('Only moderators and administrators can see this page.');
    // No link to the desk in the header either.
    expect(await member.page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '内容审核' }).count()).toBe(0);

    for (const p of [guest, member]) {
      expect(p.problems).toEqual([]);
      await p.context.close();
    }
  });
});
