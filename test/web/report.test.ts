import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { createUser, startTestApp, type TestApp } from '../support/app.js';
import { launchBrowser, openPage } from '../support/browser.js';

const SLUG = 'ai-governance-action-plan';
const REPORT = `/consultations/${SLUG}/report`;
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

type Group = 'government' | 'industry' | 'academia' | 'civil_society';
type Stance = 'support' | 'support_with_amendments' | 'oppose' | 'abstain';

async function take(group: Group, positions: [number, Stance][], verified = true): Promise<void> {
  const u = await createUser(t, { group, verified });
  for (const [item, stance] of positions) {
    await request(t.base).put(`/api/consultations/${SLUG}/items/${item}/position`).set('Authorization', `Bearer ${u.token}`).send({ stance }).expect(200);
  }
}

/** The text of the consensus map's cell for an item (row) and a group (column). */
function mapCell(page: Page, item: number, group: Group) {
  return page.getByTestId('consensus-map').locator(`tbody tr[data-item="${item}"] td[data-group="${group}"]`);
}

describe('the report in the browser', () => {
  beforeAll(async () => {
    // Item 1: three verified participants of every group support it — consensus.
    for (const g of ['government', 'industry', 'academia', 'civil_society'] as const) {
      for (let i = 0; i < 3; i++) await take(g, [[1, 'support']]);
    }
    // Item 2: government for, civil society against — divided; one academic abstains.
    for (let i = 0; i < 3; i++) await take('government', [[2, 'support']]);
    for (let i = 0; i < 3; i++) await take('civil_society', [[2, 'oppose']]);
    await take('academia', [[2, 'abstain']]);
    // An unverified government participant opposes item 1: counted only for "everyone".
    await take('government', [[1, 'oppose']], false);
  });

  it('shows the consensus map with ratios and counts, the divided and consensus items, stacked bars and coverage, with no CSP violation', async () => {
    const { page, problems, context } = await openPage(browser);
    await page.goto(`${t.base}${REPORT}`);
    await page.getByTestId('consensus-map').waitFor();

    expect(await page.getByTestId('report-status').getAttribute('data-status')).toBe('live');
    expect(await page.getByTestId('report-status').textContent()).toContain('实时');

    // The map: a proper table with column and row headers, and the figures written in each cell.
    const map = page.getByTestId('consensus-map');
    expect(await map.locator('thead th[scope="col"]').allTextContents()).toEqual(expect.arrayContaining(['政府', '产业界', '学术界', '民间社会']));
    expect(await map.locator('tbody th[scope="row"]').count()).toBe(14);
    expect((await mapCell(page, 1, 'government').textContent())!).toContain('100%');
    expect((await mapCell(page, 1, 'government').textContent())!).toContain('3 人中 3 人支持');
    expect(await mapCell(page, 1, 'government').getAttribute('class')).toContain('map-bin-4');
    expect((await mapCell(page, 2, 'civil_society').textContent())!).toContain('0%');
    expect((await mapCell(page, 2, 'civil_society').textContent())!).toContain('3 人中 0 人支持');
    expect(await mapCell(page, 2, 'civil_society').getAttribute('class')).toContain('map-bin-0');
    expect((await mapCell(page, 2, 'academia').textContent())!).toBe('暂无立场1 人弃权');
    expect(await mapCell(page, 2, 'industry').getAttribute('class')).toContain('map-bin-none');
    // A legend for the colours, and the consensus / divided marks in words.
    expect(await page.locator('.map-legend li').count()).toBe(6);
    expect(await map.locator('tbody tr[data-item="1"] .badge-consensus').count()).toBe(1);
    expect(await map.locator('tbody tr[data-item="2"] .badge-divided').count()).toBe(1);

    // Divided and consensus items listed, linking to the item.
    expect(await page.getByTestId('divided-items').locator('li a').getAttribute('href')).toBe(`/consultations/${SLUG}/items/2`);
    expect(await page.getByTestId('divided-items').locator('li').count()).toBe(1);
    expect(await page.getByTestId('divided-items').textContent()).toContain('0% 到 100%');
    expect(await page.getByTestId('consensus-items').locator('li a').getAttribute('href')).toBe(`/consultations/${SLUG}/items/1`);

    // Stacked bars: item 1 has one bar per group (support only); item 2 has three groups with positions.
    const chart1 = page.getByTestId('stance-chart-1');
    await chart1.locator('svg .recharts-bar-rectangle path').first().waitFor();
    const widths = async (chart: ReturnType<Page['getByTestId']>) =>
      (await chart.locator('svg .recharts-bar-rectangle path').evaluateAll((els) => els.map((e) => (e as SVGGraphicsElement).getBBox().width))).filter((w) => w > 0).length;
    expect(await widths(chart1)).toBe(4);
    expect(await widths(page.getByTestId('stance-chart-2'))).toBe(3);
    // The same figures as a table under each chart.
    await chart1.getByText('以表格显示数字').click();
    expect((await chart1.locator('tbody tr', { has: page.locator('th', { hasText: '政府' }) }).locator('td').allTextContents()).map((s) => s.trim())).toEqual(['3', '0', '0', '0']);
    // An item without positions says so instead of drawing empty bars.
    expect(await page.getByTestId('stance-chart-5').locator('svg').count()).toBe(0);

    // Coverage: participants per group per item.
    const coverageRow = page.getByTestId('coverage-table').locator('tbody tr').nth(2);
    expect((await coverageRow.locator('td').allTextContents()).map((s) => s.trim())).toEqual(['3', '0', '1', '3', '7']);

    // Downloads: CSV and JSON of the export.
    const csvHref = await page.getByTestId('download-csv-positions').getAttribute('href');
    expect(csvHref).toBe(`/api/consultations/${SLUG}/export?format=csv&data=positions`);
    const csv = await request(t.base).get(csvHref!).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.split('\n').filter((l) => l.trim()).length).toBe(1 + 12 + 7 + 1);
    expect(await page.getByTestId('download-json-all').getAttribute('href')).toBe(`/api/consultations/${SLUG}/export?format=json&data=all`);

    expect(problems).toEqual([]);
    await context.close();
  });

  it('switches between verified participants and everyone, and keeps the choice in the address', async () => {
    const { page, problems, context } = await openPage(browser);
    await page.goto(`${t.base}${REPORT}`);
    await mapCell(page, 1, 'government').filter({ hasText: '3 人中 3 人支持' }).waitFor();
    await page.getByRole('button', { name: '所有人' }).click();
    await mapCell(page, 1, 'government').filter({ hasText: '4 人中 3 人支持' }).waitFor();
    expect((await mapCell(page, 1, 'government').textContent())!).toContain('75%');
    expect(new URL(page.url()).searchParams.get('verified')).toBe('any');
    // Balanced support moves with it: (75% + 100% + 100% + 100%) / 4.
    expect(await page.getByTestId('consensus-map').locator('tbody tr[data-item="1"] .map-balanced').textContent()).toBe('94%');

    await page.reload();
    await mapCell(page, 1, 'government').filter({ hasText: '4 人中 3 人支持' }).waitFor();
    expect(await page.getByRole('button', { name: '所有人' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('button', { name: '已验证的参与者' }).click();
    await mapCell(page, 1, 'government').filter({ hasText: '3 人中 3 人支持' }).waitFor();
    expect(new URL(page.url()).searchParams.get('verified')).toBeNull();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('updates live while open, announced politely, and says it is final once the consultation closes', async () => {
    const { page, problems, context } = await openPage(browser, { locale: 'en-GB' });
    await page.goto(`${t.base}${REPORT}`);
    await page.getByTestId('consensus-map').waitFor();
    await mapCell(page, 2, 'industry').filter({ hasText: 'no positions' }).waitFor();
    expect(await page.getByTestId('report-status').getAttribute('data-status')).toBe('live');
    // The page arrives drawn by the server; it follows live events once the browser has subscribed.
    await page.locator('html[data-live="on"]').waitFor();

    // Someone takes a position elsewhere: the map, the charts and the coverage follow without a reload.
    await take('industry', [[2, 'support_with_amendments']]);
    await mapCell(page, 2, 'industry').filter({ hasText: '1 of 1 support' }).waitFor({ timeout: 10_000 });
    await page.getByTestId('announcer').filter({ hasText: 'Report updated: item 2.' }).waitFor({ timeout: 10_000 });
    await expect
      .poll(async () => (await page.getByTestId('coverage-table').locator('tbody tr').nth(2).locator('td').allTextContents()).map((s) => s.trim()), { timeout: 10_000 })
      .toEqual(['3', '1', '1', '3', '8']);

    // An administrator closes the consultation: the report turns final, live.
    const admin = await createUser(t, { role: 'admin' });
    await request(t.base).patch(`/api/admin/consultations/${SLUG}`).set('Authorization', `Bearer ${admin.token}`).send({ status: 'closed' }).expect(200);
    await page.getByTestId('report-status').and(page.locator('[data-status="final"]')).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('report-status').textContent()).toContain('Final');
    await page.getByTestId('announcer').filter({ hasText: 'the report is final' }).waitFor({ timeout: 10_000 });
    // And it stays final on a fresh visit.
    await page.reload();
    await page.getByTestId('report-status').and(page.locator('[data-status="final"]')).waitFor();

    expect(problems).toEqual([]);
    await context.close();
  });
});
