import type { Browser } from 'playwright-core';
import { launchBrowser, openPage } from '../support/browser.js';
import request from 'supertest';
import { createUser, startTestApp, type TestApp } from '../support/app.js';

const SLUG = 'ai-governance-action-plan';
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

describe('the document in the browser', () => {
  it('shows item 13 in Chinese and English side by side, with no page error or CSP violation', async () => {
    const { page, problems, context } = await openPage(browser);
    await page.goto(`${t.base}/consultations/${SLUG}/items/13`);
    // The seeded text, verbatim, and its English working translation.
    const zh = page.locator('[data-clause-key="13.1"][data-lang="zh"]');
    const en = page.locator('[data-clause-key="13.1"][data-lang="en"]');
    await zh.waitFor();
    expect(await zh.textContent()).toBe('支持搭建基于公共利益、各类主体共同参与的包容治理平台。');
    expect(await en.textContent()).toContain('inclusive governance platforms');
    // "Both" is a real two-column layout on a wide screen: the English sits beside the Chinese.
    const zb = await zh.boundingBox();
    const eb = await en.boundingBox();
    expect(eb!.x).toBeGreaterThan(zb!.x + zb!.width - 1);
    // On a narrow screen the two languages stack, the English under the Chinese.
    await page.setViewportSize({ width: 420, height: 800 });
    const zn = await zh.boundingBox();
    const en2 = await en.boundingBox();
    expect(en2!.y).toBeGreaterThanOrEqual(zn!.y + zn!.height - 1);
    await page.setViewportSize({ width: 1280, height: 720 });
    // Clause keys are visible.
    await expect(page.locator('#clause-13\\.3 .clause-key').textContent()).resolves.toBe('13.3');
    // Switching to English only hides the Chinese.
    await page.getByRole('group', { name: '正文语言' }).getByRole('button', { name: 'English', exact: true }).click();
    await page.locator('[data-clause-key="13.1"][data-lang="en"]').waitFor();
    expect(await page.locator('[data-clause-key="13.1"][data-lang="zh"]').count()).toBe(0);
    await page.waitForTimeout(300);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('focuses and scrolls to the clause named in #clause-13.2', async () => {
    const { page, problems, context } = await openPage(browser);
    await page.setViewportSize({ width: 1000, height: 600 });
    await page.goto(`${t.base}/consultations/${SLUG}/items/13#clause-13.2`);
    await page.locator('#clause-13\\.2').waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'clause-13.2');
    const box = await page.locator('#clause-13\\.2').boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y).toBeLessThan(600);
    // The same on the document page, where the clause is among all items.
    await page.goto(`${t.base}/consultations/${SLUG}#clause-7.2`);
    await page.waitForFunction(() => document.activeElement?.id === 'clause-7.2');
    const box2 = await page.locator('#clause-7\\.2').boundingBox();
    expect(box2!.y).toBeGreaterThanOrEqual(0);
    expect(box2!.y).toBeLessThan(600);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('lists the consultation and switches the interface language, keeping <html lang> in step', async () => {
    const { page, problems, context } = await openPage(browser, { locale: 'zh-CN' });
    await page.goto(`${t.base}/`);
    await page.getByRole('link', { name: '人工智能全球治理行动计划' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await page.getByRole('group', { name: '界面语言' }).getByRole('button', { name: 'English', exact: true }).click();
    await page.getByRole('heading', { name: 'Consultations', level: 1 }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    // The choice survives a reload.
    await page.reload();
    await page.getByRole('heading', { name: 'Consultations', level: 1 }).waitFor();
    // Keyboard: the consultation is a real link that Enter follows.
    await page.getByRole('link', { name: 'Global AI Governance Action Plan' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('#item-13').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it("shows each clause's comment count on the document page, linking to the clause on its item page", async () => {
    const u = await createUser(t);
    await request(t.base).post(`/api/consultations/${SLUG}/items/7/comments`).set('Authorization', `Bearer ${u.token}`).send({ body: 'On 7.2', clauseKey: '7.2' }).expect(201);
    const { page, problems, context } = await openPage(browser);
    await page.goto(`${t.base}/consultations/${SLUG}`);
    const count = page.locator('#clause-7\\.2 .clause-comments');
    await count.waitFor();
    expect((await count.textContent())?.trim()).toBe('1');
    expect(await page.locator('#clause-7\\.1 .clause-comments').count()).toBe(0);
    await count.click();
    await page.waitForURL((url) => url.pathname === `/consultations/${SLUG}/items/7` && url.hash === '#clause-7.2');
    await page.waitForFunction(() => document.activeElement?.id === 'clause-7.2');
    await page.locator('.comment', { hasText: 'On 7.2' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
