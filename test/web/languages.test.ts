import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { en } from '../../apps/web/src/i18n/en.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { launchBrowser, openPage, signInThroughForm } from '../support/browser.js';

/**
 * The six interface languages on every route of the web client: no missing key, <html lang dir>
 * right (Arabic right to left), no sideways scroll at 390 px, no axe violation; and the choice
 * of language from ?lang=, the cookie, Accept-Language and the switch.
 */

const SLUG = 'ai-governance-action-plan';
const LANGS = ['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const;
type Lang = (typeof LANGS)[number];
const HTML_LANG: Record<Lang, string> = { ar: 'ar', zh: 'zh-CN', en: 'en', fr: 'fr', ru: 'ru', es: 'es' };
/** A string of each language's own (the footer's working-translation note in fr/es/ru/ar). */
const NOTE: Partial<Record<Lang, string>> = {
  fr: 'Traduction de l’interface : traduction de travail, en cours de révision',
  es: 'Traducción de la interfaz: traducción de trabajo, en revisión',
  ru: 'Перевод интерфейса: рабочий перевод, на проверке',
  ar: 'ترجمة الواجهة: ترجمة عمل قيد المراجعة',
};
const SIGN_IN: Record<Lang, string> = { ar: 'تسجيل الدخول', zh: '登录', en: 'Sign in', fr: 'Se connecter', ru: 'Войти', es: 'Iniciar sesión' };

/** A raw i18n key on the page (what a missing key shows): `namespace.key` with one of en.ts's namespaces. */
const RAW_KEY = new RegExp(`\\b(?:${Object.keys(en).join('|')})\\.[a-z][A-Za-z_]*(?:\\.[a-z][A-Za-z_]*)?\\b`);

/**
 * axe rules left out, and why: none. Every violation axe reports (any impact) fails the test;
 * the WCAG 2.0/2.1/2.2 A and AA rules and axe's best practices all run.
 */
const AXE_DISABLED: string[] = [];

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');

let t: TestApp;
let browser: Browser;
let closeBrowser: () => Promise<void>;
const moderator = { email: `lang-mod-${Date.now()}@example.org`, password: 'a long password for the moderator' };
const admin = { email: `lang-admin-${Date.now()}@example.org`, password: 'a long password for the admin' };

beforeAll(async () => {
  // WEB_DIST: a build of one's own, when others rebuild apps/web/dist while this runs.
  t = await startTestApp(process.env.WEB_DIST ? { WEB_DIST: process.env.WEB_DIST } : {});
  ({ browser, close: closeBrowser } = await launchBrowser());
  for (const [who, role, group] of [
    [moderator, 'moderator', 'academia'],
    [admin, 'admin', 'government'],
  ] as const) {
    const res = await request(t.base)
      .post('/api/auth/register')
      .send({ email: who.email, password: who.password, displayName: `Lang ${role}`, stakeholderGroup: group })
      .expect(201);
    await t.db.query('UPDATE users SET role = $1 WHERE id = $2', [role, res.body.user.id]);
    // Something in the thread, the queue and the log, so that those pages show their lists.
    const c = await request(t.base)
      .post(`/api/consultations/${SLUG}/items/13/comments`)
      .set('Authorization', `Bearer ${res.body.accessToken}`)
      .send({ body: `A comment by the ${role}, in **Markdown**.`, clauseKey: '13.1' })
      .expect(201);
    await request(t.base).put(`/api/consultations/${SLUG}/items/13/position`).set('Authorization', `Bearer ${res.body.accessToken}`).send({ stance: 'support' });
    if (role === 'moderator') {
      await request(t.base).post(`/api/comments/${c.body.id}/flags`).set('Authorization', `Bearer ${res.body.accessToken}`).send({ reason: 'off_topic' });
    }
  }
}, 120_000);
afterAll(async () => {
  await closeBrowser?.();
  await t?.close();
});

/**
 * A 390 px wide page that records what openPage records (page errors, console errors) and the
 * missing keys (the client then shows them raw, with no English fallback); CSP bypassed for axe.
 */
async function phonePage(opts: { locale?: string } = {}): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ locale: opts.locale ?? 'zh-CN', viewport: { width: 390, height: 844 }, bypassCSP: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  await page.addInitScript(() => {
    (window as unknown as { __i18nMissing: string[] }).__i18nMissing = [];
  });
  return { context, page, problems };
}

/** Waits until the route has drawn its content: a level-1 heading, nothing loading, the network quiet. */
async function settle(page: Page): Promise<void> {
  await page.locator('main h1').first().waitFor({ timeout: 20_000 });
  await page.waitForFunction(() => !document.querySelector('main .loading'), undefined, { timeout: 20_000 });
  await page.waitForLoadState('networkidle').catch(() => undefined);
}

interface Finding {
  url: string;
  problem: string;
}

async function checkRoute(page: Page, path: string, lang: Lang, findings: Finding[], problems: string[]): Promise<void> {
  const url = `${t.base}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`;
  const where = `${lang} ${path}`;
  problems.length = 0;
  const res = await page.goto(url);
  await settle(page);
  // Page errors, console errors (a hydration mismatch among them), apart from the 404 status of the page for an unknown address.
  for (const p of problems) {
    if (res?.status() === 404 && /status of 404/.test(p)) continue;
    findings.push({ url: where, problem: p });
  }
  const state = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    dir: document.documentElement.dir || 'ltr',
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    missing: (window as unknown as { __i18nMissing: string[] }).__i18nMissing,
    text: document.body.innerText,
    title: document.title,
    labels: [...document.querySelectorAll('[aria-label],[title],[placeholder]')]
      .map((el) => `${el.getAttribute('aria-label') ?? ''} ${el.getAttribute('title') ?? ''} ${el.getAttribute('placeholder') ?? ''}`)
      .join('\n'),
  }));
  if (state.lang !== HTML_LANG[lang]) findings.push({ url: where, problem: `<html lang="${state.lang}">` });
  if (state.dir !== (lang === 'ar' ? 'rtl' : 'ltr')) findings.push({ url: where, problem: `<html dir="${state.dir}">` });
  if (state.scrollWidth > state.clientWidth) findings.push({ url: where, problem: `sideways scroll: ${state.scrollWidth} > ${state.clientWidth}` });
  if (state.missing.length) findings.push({ url: where, problem: `missing keys: ${[...new Set(state.missing)].join(', ')}` });
  for (const text of [state.text, state.labels, state.title]) {
    const raw = RAW_KEY.exec(text);
    if (raw) findings.push({ url: where, problem: `raw key on the page: ${raw[0]}` });
  }
  const note = NOTE[lang];
  if (note && !state.text.includes(note)) findings.push({ url: where, problem: 'no working-translation note' });
  if (!note && /working translation, under review|工作译文，审校中/.test(state.text)) findings.push({ url: where, problem: 'a working-translation note in an original language' });

  // axe (its script goes in past the CSP: the context bypasses it)
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate(async (disabled) => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const res = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      rules: Object.fromEntries(disabled.map((id: string) => [id, { enabled: false }])),
    });
    return res.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  }, AXE_DISABLED);
  for (const v of violations) findings.push({ url: where, problem: `axe ${v}` });
}

const PUBLIC_ROUTES = [
  '/',
  `/consultations/${SLUG}`,
  `/consultations/${SLUG}/items/13`,
  `/consultations/${SLUG}/report`,
  `/consultations/${SLUG}/moderation-log`,
  '/login',
  '/register',
  '/forgot-password',
  '/reset-password',
  '/no-such-page',
];

describe('the interface in the six UN languages', () => {
  for (const lang of LANGS) {
    it(`renders every route in ${lang}: no missing key, <html lang dir>, no sideways scroll at 390 px, no axe violation`, async () => {
      const findings: Finding[] = [];
      // A reader who is not signed in.
      {
        const { page, problems, context } = await phonePage();
        for (const path of PUBLIC_ROUTES) await checkRoute(page, path, lang, findings, problems);
        problems.length = 0;
        // The plan has no text in fr/es/ru/ar: the page says so and shows the English working translation.
        if (lang !== 'zh' && lang !== 'en') {
          await page.goto(`${t.base}/consultations/${SLUG}/items/13?lang=${lang}`);
          await page.getByTestId('plan-languages').waitFor();
          expect(await page.locator('[data-clause-key="13.1"][data-lang="en"]').count()).toBe(1);
          expect(await page.locator('[data-clause-key="13.1"][data-lang="zh"]').count()).toBe(0);
        } else {
          expect(await page.getByTestId('plan-languages').count()).toBe(0);
        }
        for (const p of problems) findings.push({ url: `${lang} plan`, problem: p });
        await context.close();
      }
      // A moderator: the queue and the log.
      {
        const { page, problems, context } = await phonePage();
        await signInThroughForm(page, t.base, moderator, '/');
        await checkRoute(page, '/moderation', lang, findings, problems);
        await checkRoute(page, '/moderation?view=log', lang, findings, problems);
        await checkRoute(page, '/profile', lang, findings, problems);
        await context.close();
      }
      // An administrator: administration and the profile.
      {
        const { page, problems, context } = await phonePage();
        await signInThroughForm(page, t.base, admin, '/');
        await checkRoute(page, '/admin', lang, findings, problems);
        await checkRoute(page, '/profile', lang, findings, problems);
        await context.close();
      }
      expect(findings.map((f) => `${f.url}: ${f.problem}`)).toEqual([]);
    }, 420_000);
  }
});

describe('choosing the language', () => {
  it('takes ?lang= from the address, over the cookie and the browser', async () => {
    const { page, problems, context } = await openPage(browser, { locale: 'es-ES' });
    await context.addCookies([{ name: 'lang', value: 'ru', url: t.base }]);
    await page.goto(`${t.base}/?lang=fr`);
    await page.getByText(NOTE.fr!).waitFor();
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['fr', 'ltr']);
    expect(await page.getByRole('navigation').first().getByRole('link', { name: SIGN_IN.fr }).count()).toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('takes the lang cookie over the browser’s languages', async () => {
    const { page, problems, context } = await openPage(browser, { locale: 'es-ES' });
    await context.addCookies([{ name: 'lang', value: 'ar', url: t.base }]);
    await page.goto(`${t.base}/consultations/${SLUG}`);
    await page.getByText(NOTE.ar!).waitFor();
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['ar', 'rtl']);
    // Mirrored: the site name sits at the right-hand end of the header.
    const header = (await page.locator('.site-header-inner').boundingBox())!;
    const name = (await page.locator('.site-name').boundingBox())!;
    expect(header.x + header.width - (name.x + name.width)).toBeLessThan(name.x - header.x);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('takes the browser’s languages (Accept-Language, navigator.languages) when nothing else says', async () => {
    for (const [locale, lang] of [
      ['es-MX', 'es'],
      ['ru-RU', 'ru'],
      ['de-DE', 'zh'], // none of the six: Chinese
    ] as const) {
      const { page, problems, context } = await openPage(browser, { locale });
      await page.goto(`${t.base}/login`);
      await page.getByRole('main').getByRole('button', { name: SIGN_IN[lang] }).waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(HTML_LANG[lang]);
      expect(problems).toEqual([]);
      await context.close();
    }
  });

  it('the switch lists the six by their own names, sets the lang cookie (path /, SameSite=Lax, a year) and keeps the choice', async () => {
    const { page, problems, context } = await openPage(browser, { locale: 'zh-CN' });
    await page.goto(`${t.base}/`);
    const sw = page.getByRole('group', { name: '界面语言' });
    await sw.getByRole('button', { name: '中文' }).waitFor();
    expect(await sw.getByRole('button').allTextContents()).toEqual(['العربية', '中文', 'English', 'Français', 'Русский', 'Español']);
    await sw.getByRole('button', { name: 'العربية' }).click();
    await page.getByText(NOTE.ar!).waitFor();
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['ar', 'rtl']);
    const cookie = (await context.cookies(t.base)).find((c) => c.name === 'lang')!;
    expect(cookie).toMatchObject({ value: 'ar', path: '/', sameSite: 'Lax' });
    expect(cookie.expires * 1000 - Date.now()).toBeGreaterThan(364 * 24 * 3600 * 1000);
    await page.reload();
    await page.getByText(NOTE.ar!).waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    // ?lang= in the address follows the switch, so the address still says what is shown.
    await page.goto(`${t.base}/login?lang=ar`);
    await page.getByRole('group', { name: 'لغة الواجهة' }).getByRole('button', { name: 'Español' }).click();
    await page.waitForURL((u) => u.searchParams.get('lang') === 'es');
    await page.getByRole('main').getByRole('button', { name: SIGN_IN.es }).waitFor();
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['es', 'ltr']);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('without scripts the switch still works: its buttons ask the server for ?lang=', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${t.base}/consultations/${SLUG}/items/13`);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await page.getByRole('group', { name: '界面语言' }).getByRole('button', { name: 'Русский' }).click();
    await page.waitForURL((u) => u.pathname === `/consultations/${SLUG}/items/13` && u.searchParams.get('lang') === 'ru');
    await page.getByText(NOTE.ru!).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ru');
    await context.close();
  });

  it('plurals and dates follow the language (Intl.PluralRules, Intl.DateTimeFormat): Russian few and many, Arabic dual and zero', async () => {
    const { page, problems, context } = await openPage(browser);
    // Item 13 has two comments (the moderator's and the administrator's), item 1 none.
    await page.goto(`${t.base}/consultations/${SLUG}?lang=ru`);
    await page.getByRole('link', { name: 'Обсудить пункт 13 (2 комментария)' }).waitFor();
    await page.getByRole('link', { name: 'Обсудить пункт 1 (0 комментариев)' }).waitFor();
    await page.goto(`${t.base}/consultations/${SLUG}?lang=ar`);
    await page.getByRole('link', { name: 'ناقش البند 13 (تعليقان)' }).waitFor();
    await page.getByRole('link', { name: 'ناقش البند 1 (لا تعليقات)' }).waitFor();
    await page.goto(`${t.base}/consultations/${SLUG}?lang=fr`);
    await page.getByRole('link', { name: 'Discuter le point 13 (2 commentaires)' }).waitFor();
    // Dates by Intl.DateTimeFormat in the language's locale: "Открывается 1 декабря 2026 г.", "Se abre el 1 de diciembre de 2026".
    await page.goto(`${t.base}/?lang=ru`);
    await page.getByText(/^Открывается \d{1,2} [а-яё]+ \d{4} г\.$/).waitFor();
    await page.goto(`${t.base}/?lang=es`);
    await page.getByText(/^Se abre el \d{1,2} de [a-z]+ de \d{4}$/).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
