import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { createUser, startTestApp, type TestApp } from '../support/app.js';
import { launchBrowser, openPage } from '../support/browser.js';

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

/** A switchable network for the live channel: WebSockets pass through until `down()`, then are cut and refused until `up()`. */
async function switchableNetwork(page: Page): Promise<{ down(): Promise<void>; up(): void }> {
  let offline = false;
  const open: { close(): Promise<void> }[] = [];
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    if (offline) return void ws.close({ code: 1006 });
    const server = ws.connectToServer();
    open.push({ close: async () => (await Promise.all([ws.close({ code: 1006 }), server.close()]), undefined) });
  });
  await page.route('**/socket.io/**', (route) => (offline ? route.abort() : route.fallback()));
  return {
    async down() {
      offline = true;
      for (const c of open.splice(0)) await c.close();
    },
    up() {
      offline = false;
    },
  };
}

describe('the live channel in the browser', () => {
  it('after a network drop, catches up by `since`: every missed comment arrives once, and edits and deletes apply in place', async () => {
    const writer = await createUser(t, { displayName: 'Writer' });
    const post = (body: string) =>
      request(t.base).post(`/api/consultations/${SLUG}/items/11/comments`).set('Authorization', `Bearer ${writer.token}`).send({ body }).expect(201);
    const first = await post('Before the drop');

    const { page, problems, context } = await openPage(browser);
    const network = await switchableNetwork(page);
    await page.goto(`${t.base}/consultations/${SLUG}/items/11`);
    await page.locator('.comment', { hasText: 'Before the drop' }).waitFor();
    await page.getByTestId('presence').waitFor(); // subscribed

    // The network goes: no new connection can be made, and the open one is cut.
    await network.down();
    await page.getByText('正在重新连接…').waitFor();

    // What happens meanwhile.
    await post('Missed one');
    await post('Missed two');
    await request(t.base).patch(`/api/comments/${first.body.id}`).set('Authorization', `Bearer ${writer.token}`).send({ body: 'Before the drop, edited' }).expect(200);

    // The network comes back.
    network.up();
    await page.getByText('正在重新连接…').waitFor({ state: 'detached', timeout: 15_000 });

    const newButton = page.getByTestId('new-comments');
    await newButton.waitFor();
    await expect.poll(() => newButton.textContent(), { timeout: 10_000 }).toContain('2');
    await page.locator('.comment', { hasText: 'Before the drop, edited' }).waitFor();
    await newButton.click();
    await page.locator('.comment', { hasText: 'Missed two' }).waitFor();
    expect(await page.locator('.comment', { hasText: 'Missed one' }).count()).toBe(1);
    expect(await page.locator('.comment', { hasText: 'Missed two' }).count()).toBe(1);
    expect(await page.locator('.comment').count()).toBe(3);

    // Live again: a delete keeps the comment's place, without its body.
    await request(t.base).delete(`/api/comments/${first.body.id}`).set('Authorization', `Bearer ${writer.token}`).expect(204);
    await page.locator('.comment[data-status="deleted"]').waitFor();
    expect(await page.locator('.comment', { hasText: 'Before the drop' }).count()).toBe(0);
    expect(await page.locator('.comment').count()).toBe(3);

    // The socket.io requests aborted while offline are logged as failed loads; nothing else may be.
    expect(problems.filter((p) => !/Failed to load resource|ERR_FAILED|socket\.io/.test(p))).toEqual([]);
    await context.close();
  });

  it('follows a replay longer than a page: every missed comment arrives, then the live stream resumes', async () => {
    const writer = await createUser(t, { displayName: 'Many Writer' });
    const post = (body: string) =>
      request(t.base).post(`/api/consultations/${SLUG}/items/12/comments`).set('Authorization', `Bearer ${writer.token}`).send({ body }).expect(201);
    const { page, context } = await openPage(browser);
    const network = await switchableNetwork(page);
    await page.goto(`${t.base}/consultations/${SLUG}/items/12`);
    await page.getByTestId('presence').waitFor();

    await network.down();
    await page.getByText('正在重新连接…').waitFor();
    // more than two pages of the replay (200 events a page)
    const missed = 450;
    for (let i = 0; i < missed; i += 25) await Promise.all(Array.from({ length: 25 }, (_, j) => post(`Missed ${i + j}`)));
    network.up();
    await page.getByText('正在重新连接…').waitFor({ state: 'detached', timeout: 15_000 });

    const newButton = page.getByTestId('new-comments');
    await expect.poll(() => newButton.textContent(), { timeout: 20_000 }).toContain(String(missed));
    // caught up and subscribed again: a comment now arrives live
    await post('After the long replay');
    await expect.poll(() => newButton.textContent(), { timeout: 10_000 }).toContain(String(missed + 1));
    await context.close();
  });
});
