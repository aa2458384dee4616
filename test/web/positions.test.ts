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

/** The cells of a group's row in the item's tally table: support, with amendments, oppose, abstain, ratio. */
async function tallyRow(page: Page, groupLabel: string): Promise<string[]> {
  const cells = page.getByTestId('item-tally').locator('tbody tr', { has: page.locator('th', { hasText: groupLabel }) }).locator('td');
  return (await cells.allTextContents()).map((s) => s.trim());
}

describe('positions and tallies in the browser', () => {
  it('takes, explains, changes and withdraws a position on the item and on a clause in one or two clicks', async () => {
    const email = `pos-${Date.now()}@example.org`;
    const password = 'position password 1';
    const reg = await request(t.base).post('/api/auth/register').send({ email, password, displayName: 'Pat', stakeholderGroup: 'industry' }).expect(201);
    const token: string = reg.body.accessToken;
    const mine = async () => (await request(t.base).get(`/api/consultations/${SLUG}/positions/mine`).set('Authorization', `Bearer ${token}`).expect(200)).body;

    const { page, problems, context } = await openPage(browser);
    await signIn(page, email, password);
    const panel = page.getByTestId('position-panel');

    // One click: support item 13.
    await panel.getByRole('button', { name: '支持', exact: true }).click();
    await panel.getByText('您的立场：支持。').waitFor();
    expect(await mine()).toEqual([expect.objectContaining({ item: 13, clauseKey: null, stance: 'support', reason: null })]);
    expect(await panel.getByRole('button', { name: '支持', exact: true }).getAttribute('aria-pressed')).toBe('true');

    // A reason: a second click.
    await panel.getByLabel('理由（选填）').fill('Platforms must be open to all.');
    await panel.getByRole('button', { name: '保存理由' }).click();
    await expect.poll(async () => (await mine())[0]?.reason, { timeout: 10_000 }).toBe('Platforms must be open to all.');

    // Unverified participants count only in the "everyone" tally.
    await page.getByLabel('包括未验证的参与者').check();
    await expect.poll(() => tallyRow(page, '产业界'), { timeout: 10_000 }).toEqual(['1', '0', '0', '0', '100%']);

    // Choose clause 13.2: the position now goes to the clause.
    await page.locator('#clause-13\\.2 [data-lang="en"]').click();
    await panel.getByRole('button', { name: '第 13.2 句' }).waitFor();
    expect(await panel.getByRole('button', { name: '第 13.2 句' }).getAttribute('aria-pressed')).toBe('true');
    await panel.getByRole('button', { name: '反对', exact: true }).click();
    await panel.getByText('您的立场：反对。').waitFor();
    await expect.poll(async () => (await mine()).map((p: { clauseKey: string | null; stance: string }) => `${p.clauseKey}:${p.stance}`).sort(), { timeout: 10_000 }).toEqual(['13.2:oppose', 'null:support']);

    // Back to the item, and withdraw it.
    await panel.getByRole('button', { name: '第13条' }).click();
    await panel.getByText('您的立场：支持。').waitFor();
    await panel.getByRole('button', { name: '撤回我的立场' }).click();
    await panel.getByText('您尚未在此表明立场。').waitFor();
    await expect.poll(async () => (await mine()).map((p: { clauseKey: string | null }) => p.clauseKey), { timeout: 10_000 }).toEqual(['13.2']);

    expect(problems).toEqual([]);
    await context.close();
  });

  it("updates a reader's tally live when a verified participant takes a position, and announces it", async () => {
    const { page, problems, context } = await openPage(browser);
    await page.goto(`${t.base}${ITEM}`);
    await page.getByTestId('item-tally').waitFor();
    const before = await tallyRow(page, '学术界');
    expect(before.slice(0, 4)).toEqual(['0', '0', '0', '0']);
    // Wait until the page follows the item live (presence arrives after subscribing).
    await page.getByTestId('presence').waitFor();

    const scholar = await createUser(t, { group: 'academia', verified: true });
    await request(t.base).put(`/api/consultations/${SLUG}/items/13/position`).set('Authorization', `Bearer ${scholar.token}`).send({ stance: 'support_with_amendments' }).expect(200);

    await expect.poll(() => tallyRow(page, '学术界'), { timeout: 10_000 }).toEqual(['0', '1', '0', '0', '100%']);
    await expect.poll(async () => page.getByTestId('announcer').textContent(), { timeout: 10_000 }).toContain('第13条的立场已更新');
    expect(problems).toEqual([]);
    await context.close();
  });

  it("shows each item's balanced support at a glance on the document page", async () => {
    const gov = await createUser(t, { group: 'government', verified: true });
    await request(t.base).put(`/api/consultations/${SLUG}/items/5/position`).set('Authorization', `Bearer ${gov.token}`).send({ stance: 'oppose' }).expect(200);
    const { page, problems, context } = await openPage(browser);
    await page.goto(`${t.base}/consultations/${SLUG}`);
    const glance = page.getByTestId('glance-5');
    await glance.waitFor();
    expect(await glance.textContent()).toContain('0%');
    expect(await glance.textContent()).toContain('1 位参与者');
    expect(problems).toEqual([]);
    await context.close();
  });
});
