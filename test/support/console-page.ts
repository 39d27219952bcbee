// What the console's browser test does again and again: call the API, log a page in, take a
// screenshot of a view at a width and measure that it does not scroll sideways.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@opsmesh/shared/testing';
import type { Browser, Page } from 'playwright-core';

/** Where screenshots go: git-ignored, kept by CI as the test's artefacts. */
export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'console');

/**
 * A page at `width` that records every script error and console error, and every request that
 * leaves the machine (none may: the console and the API reference are served locally).
 */
export async function openPage(browser: Browser, width: number, errors: string[], outside: string[]) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  page.on('pageerror', (err) => errors.push(`${width}px: ${err.message}`));
  page.on('console', (msg) => {
    // Answers the test provokes on purpose (400, 401, 404) are logged by the browser as failed
    // loads; anything else reported as an error is a defect of the console.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) {
      errors.push(`${width}px: ${msg.text()}`);
    }
  });
  page.on('request', (req) => {
    const host = new URL(req.url()).hostname;
    if (!['127.0.0.1', 'localhost'].includes(host) && !req.url().startsWith('data:')) outside.push(req.url());
  });
  return page;
}

export async function logIn(page: Page, gateway: string, who: { email: string; password: string }) {
  await page.goto(`${gateway}/`);
  await page.fill('input[name=email]', who.email);
  await page.fill('input[name=password]', who.password);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#view:not([hidden])');
}

/** Shows a view and waits for what proves it rendered. */
export async function show(page: Page, gateway: string, hash: string, ready: string) {
  await page.goto(`${gateway}/#/${hash}`);
  await page.waitForSelector(ready, { timeout: 20_000 });
}

/** How far the page is wider than the window (0 when nothing scrolls sideways). */
export function overflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
