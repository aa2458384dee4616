import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.js';
import { launchBrowser, openPage, signInThroughForm } from '../support/browser.js';

const SLUG = 'ai-governance-action-plan';
const ADMIN = { email: 'admin@forum.example', password: 'admin password 123' };
let t: TestApp;
let browser: Browser;
let closeBrowser: () => Promise<void>;

beforeAll(async () => {
  t = await startTestApp({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
  ({ browser, close: closeBrowser } = await launchBrowser());
});
afterAll(async () => {
  await closeBrowser?.();
  await t?.close();
});

function signIn(page: Page, email: string, password: string, next: string): Promise<void> {
  return signInThroughForm(page, t.base, { email, password }, next);
}

async function register(displayName: string, group: string) {
  const email = `${displayName.toLowerCase().replace(/\W/g, '')}-${Date.now()}@example.org`;
  const password = 'participant password';
  const res = await request(t.base).post('/api/auth/register').send({ email, password, displayName, stakeholderGroup: group, organization: 'Old Org' }).expect(201);
  return { email, password, id: res.body.user.id as string, token: res.body.accessToken as string };
}

describe('accounts in the browser', () => {
  it('shows and edits the profile: group, verification badge, name, organisation, country', async () => {
    const u = await register('Profile Person', 'academia');
    const { page, problems, context } = await openPage(browser);
    await signIn(page, u.email, u.password, '/profile');
    await page.getByTestId('profile-name').filter({ hasText: 'Profile Person' }).waitFor();
    expect(await page.getByRole('main').textContent()).toContain('尚未经系统管理员验证');

    await page.getByRole('button', { name: '编辑资料' }).click();
    await page.getByLabel('评论时显示的名称').fill('Profile Person II');
    await page.getByLabel('所属机构').fill('New Institute');
    await page.getByLabel('国家或地区').selectOption('KE');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByTestId('profile-name').filter({ hasText: 'Profile Person II' }).waitFor();
    const me = await request(t.base).get('/api/me').set('Authorization', `Bearer ${u.token}`).expect(200);
    expect(me.body).toEqual(expect.objectContaining({ displayName: 'Profile Person II', organization: 'New Institute', country: 'KE', stakeholderGroup: 'academia' }));
    // The header greets the new name.
    await page.getByTestId('nav-profile').filter({ hasText: 'Profile Person II' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('lets an administrator verify a participant, appoint a moderator, and close and reopen the consultation', async () => {
    const p = await register('Verify Me', 'government');
    const { page, problems, context } = await openPage(browser);
    await signIn(page, ADMIN.email, ADMIN.password, '/');
    await page.getByRole('link', { name: '系统管理' }).click();
    await page.getByRole('heading', { name: '系统管理', level: 1 }).waitFor();

    await page.getByLabel('搜索').fill('Verify Me');
    const row = page.getByTestId(`user-${p.email}`);
    await row.waitFor();
    // A controlled checkbox shows the new state once the (optimistic) update has rendered, so
    // click and wait for it rather than check(), which demands the change within the click.
    const verifiedBox = row.getByRole('checkbox', { name: '已验证：Verify Me' });
    await verifiedBox.click();
    await expect.poll(() => verifiedBox.isChecked(), { timeout: 10_000 }).toBe(true);
    await expect.poll(async () => (await request(t.base).get('/api/me').set('Authorization', `Bearer ${p.token}`)).body.verified, { timeout: 10_000 }).toBe(true);
    await row.getByRole('combobox', { name: 'Verify Me 的角色' }).selectOption('moderator');
    await expect.poll(async () => (await request(t.base).get('/api/me').set('Authorization', `Bearer ${p.token}`)).body.role, { timeout: 10_000 }).toBe('moderator');

    // Close: the item page says so and offers no composer; reopen.
    await page.getByRole('button', { name: '结束' }).click();
    await page.getByRole('button', { name: '开放' }).waitFor();
    expect((await request(t.base).get(`/api/consultations/${SLUG}`)).body.status).toBe('closed');
    await page.goto(`${t.base}/consultations/${SLUG}/items/13`);
    await page.getByText('评论和立场均已关闭').first().waitFor();
    expect(await page.getByLabel('您的评论').count()).toBe(0);
    await page.goto(`${t.base}/admin`);
    await page.getByRole('button', { name: '开放' }).click();
    await page.getByRole('button', { name: '结束' }).waitFor();
    expect((await request(t.base).get(`/api/consultations/${SLUG}`)).body.status).toBe('open');

    expect(problems).toEqual([]);
    await context.close();
  });

  it('keeps participants out of the admin page', async () => {
    const p = await register('Just Participant', 'industry');
    const { page, problems, context } = await openPage(browser);
    await signIn(page, p.email, p.password, '/');
    expect(await page.getByRole('link', { name: '系统管理' }).count()).toBe(0);
    await page.goto(`${t.base}/admin`);
    await page.getByText('您没有执行此操作的权限').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
