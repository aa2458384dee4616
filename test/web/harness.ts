import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_PATH } from '../support/browser.js';

export { openPage } from '../support/browser.js';

/**
 * Debian's Chromium, headless. Same flags as test/support/browser.ts's launchBrowser, minus
 * `--user-data-dir`, which playwright-core 1.65 refuses in `launch()` (it makes a fresh profile
 * per launch itself). Use the support one again once it is fixed.
 */
export async function launchBrowser(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return { browser, close: () => browser.close() };
}
