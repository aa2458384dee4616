import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import { startTestApp, waitFor, type TestApp } from '../support/app.js';
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

  it('changes the password on the profile page: this session stays, the others end', async () => {
    const u = await register('Password Changer', 'academia');
    const { page, problems, context } = await openPage(browser);
    await signIn(page, u.email, u.password, '/profile');
    await page.getByRole('heading', { name: '密码', level: 2 }).waitFor();
    // a wrong current password is named at its field
    await page.getByLabel('当前密码').fill('not my password at all');
    await page.getByLabel('新密码').fill('my brand new password');
    await page.getByRole('button', { name: '修改密码' }).click();
    await page.getByText('当前密码不正确。').waitFor();
    await page.getByLabel('当前密码').fill(u.password);
    await page.getByRole('button', { name: '修改密码' }).click();
    await page.getByText('密码已修改，其他所有会话均已退出登录。').waitFor();
    // the session of the registration (another one) is over; this page's goes on
    await request(t.base).get('/api/me').set('Authorization', `Bearer ${u.token}`).expect(401);
    await page.reload();
    await page.getByTestId('profile-name').filter({ hasText: 'Password Changer' }).waitFor();
    await request(t.base).post('/api/auth/login').send({ email: u.email, password: u.password }).expect(401);
    await request(t.base).post('/api/auth/login').send({ email: u.email, password: 'my brand new password' }).expect(200);
    // (the API's 400 for the wrong current password is expected console noise in the browser)
    expect(problems.filter((x) => !/status of 400/.test(x))).toEqual([]);
    await context.close();
  });

  it('lets an administrator create a one-time reset link, shown once with a copy button, that sets a new password once', async () => {
    const p = await register('Forgetful Person', 'industry');
    const admin = await openPage(browser);
    await admin.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.base });
    await signIn(admin.page, ADMIN.email, ADMIN.password, '/admin');
    await admin.page.getByLabel('搜索').fill('Forgetful Person');
    const row = admin.page.getByTestId(`user-${p.email}`);
    await row.getByRole('button', { name: '为 Forgetful Person 生成密码重置链接' }).click();
    const field = row.getByTestId(`reset-link-${p.email}`);
    await field.waitFor();
    const url = await field.inputValue();
    expect(url).toMatch(new RegExp(`^${t.base}/reset-password#token=[A-Za-z0-9_-]{43}$`));
    expect(await row.textContent()).toContain('仅显示这一次');
    await row.getByRole('button', { name: '复制' }).click();
    await row.getByRole('button', { name: '已复制' }).waitFor();
    expect(await admin.page.evaluate(() => navigator.clipboard.readText())).toBe(url);
    // closed, it is gone: the button is back
    await row.getByRole('button', { name: '关闭' }).click();
    await row.getByRole('button', { name: '为 Forgetful Person 生成密码重置链接' }).waitFor();
    expect(admin.problems).toEqual([]);
    await admin.context.close();

    // the participant opens the link as a guest
    const guest = await openPage(browser);
    await guest.page.goto(url);
    await guest.page.getByRole('heading', { name: '设置新密码', level: 1 }).waitFor();
    await expect.poll(() => guest.page.url()).toBe(`${t.base}/reset-password`); // the token left the address bar
    await guest.page.getByLabel('新密码').fill('short');
    await guest.page.getByRole('button', { name: '设置密码' }).click();
    await guest.page.getByText('密码至少需要 10 个字符').or(guest.page.locator('.field-error')).first().waitFor();
    await guest.page.getByLabel('新密码').fill('the password I chose again');
    await guest.page.getByRole('button', { name: '设置密码' }).click();
    await guest.page.getByText('新密码已设置。').waitFor();
    await request(t.base).post('/api/auth/login').send({ email: p.email, password: 'the password I chose again' }).expect(200);
    await request(t.base).get('/api/me').set('Authorization', `Bearer ${p.token}`).expect(401);
    expect(guest.problems).toEqual([]);
    await guest.context.close();

    // the same link a second time, in another browser
    const again = await openPage(browser);
    await again.page.goto(url);
    await again.page.getByLabel('新密码').fill('somebody else trying');
    await again.page.getByRole('button', { name: '设置密码' }).click();
    await again.page.getByText('此链接无法使用').waitFor();
    // (the API's 400 for the used link is expected console noise in the browser)
    expect(again.problems.filter((x) => !/status of 400/.test(x))).toEqual([]);
    await again.context.close();
    await request(t.base).post('/api/auth/login').send({ email: p.email, password: 'somebody else trying' }).expect(401);
  });

  it('offers "forgot password" on the sign-in form only when the forum can send mail', async () => {
    const { page, problems, context } = await openPage(browser);
    await page.goto(`${t.base}/login`);
    await page.getByRole('main').getByRole('button', { name: '登录' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.getByRole('link', { name: '忘记密码？' }).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();

    const mails: { to: string[]; raw: string }[] = [];
    const sink = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
          callback();
        });
      },
    });
    sink.listen(0, '127.0.0.1');
    await once(sink.server, 'listening');
    const mailing = await startTestApp({ SMTP_URL: `smtp://127.0.0.1:${(sink.server.address() as AddressInfo).port}`, PUBLIC_URL: 'https://forum.example.org' });
    try {
      const email = `mailable-${Date.now()}@example.org`;
      await request(mailing.base).post('/api/auth/register').send({ email, password: 'participant password', displayName: 'Mailable', stakeholderGroup: 'academia' }).expect(201);
      const m = await openPage(browser);
      await m.page.goto(`${mailing.base}/login`);
      await m.page.getByRole('link', { name: '忘记密码？' }).click();
      await m.page.getByRole('heading', { name: '重置密码', level: 1 }).waitFor();
      await m.page.getByLabel('电子邮箱').fill(email);
      await m.page.getByRole('button', { name: '发送链接' }).click();
      await m.page.getByText('如该邮箱有账户，链接已在发送途中').waitFor();
      await waitFor(() => mails.some((x) => x.to.includes(email)), 10_000, 'the reset mail');
      expect(m.problems).toEqual([]);
      await m.context.close();
    } finally {
      await mailing.close();
      await new Promise<void>((r) => sink.close(() => r()));
    }
  });
});
