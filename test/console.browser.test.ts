// The operator console in a real browser (Debian's chromium, driven by playwright-core) against
// the whole platform started as processes: log in, watch services and alerts, acknowledge and
// silence an alert, predict with a model, move and roll back an alias, talk to ChatOps, log out.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  REPO_ROOT,
  type RunningSystem,
  SYSTEM_ADMIN,
  skipUnlessBinary,
  startSystem,
} from '@opsmesh/shared/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
const skip = skipUnlessBinary(CHROMIUM, 'chromium');

describe.skipIf(skip)('the operator console in a browser', () => {
  let system: RunningSystem;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  const api = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(system.gateway + path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    // Scrapes and rule evaluations every second or two, so alerts show within the test.
    system = await startSystem({ SCRAPE_INTERVAL: '2s', EVALUATION_INTERVAL: '1s' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      // Answers the test provokes on purpose (401, 400, 404) are logged by the browser as failed
      // loads; anything else reported as an error is a defect of the console.
      if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) {
        pageErrors.push(msg.text());
      }
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  }, 60_000);

  it('refuses a wrong password with the reason, then logs in', async () => {
    await page.goto(`${system.gateway}/`);
    await page.fill('input[name=email]', SYSTEM_ADMIN.email);
    await page.fill('input[name=password]', 'not-the-password-at-all');
    await page.click('#login-form button[type=submit]');
    await expect.poll(() => page.textContent('#login-error')).toMatch(/password|credentials/i);
    expect(await page.isVisible('#app-view')).toBe(false);

    await page.fill('input[name=password]', SYSTEM_ADMIN.password);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#app-view', { state: 'visible' });
    await expect.poll(() => page.textContent('#whoami')).toContain(`${SYSTEM_ADMIN.email} · admin`);
  }, 30_000);

  it('shows every service with its instances and signals', async () => {
    for (const name of ['auth-service', 'ml-service', 'monitoring-service', 'chatops-service', 'gateway']) {
      const row = `#services tr[data-service="${name}"]`;
      await page.waitForSelector(row, { timeout: 20_000 });
      await expect.poll(() => page.textContent(`${row} td:nth-child(2)`), { timeout: 20_000 }).toBe('1/1');
    }
    await page.click('[data-refresh=services]');
    await expect
      .poll(
        async () => {
          await page.click('[data-refresh=services]');
          return page.textContent('#services tr[data-service="gateway"] td:nth-child(7)');
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toMatch(/^\d+\.\d%$/);
    expect(await page.textContent('#signals-source')).toContain('signals from local');
  }, 60_000);

  it('lists a firing alert, acknowledges it and silences it', async () => {
    const token = await page.evaluate<string | null>('sessionStorage.getItem("opsmesh.token")');
    const created = await api('POST', '/api/monitoring/rules', token!, {
      name: 'ConsoleProbe',
      expr: { kind: 'series', selector: 'up{service="gateway"}', function: 'value' },
      op: '==',
      threshold: 1,
      for: '0s',
      severity: 'warning',
      annotations: { summary: 'gateway {{ $labels.instance }} is up' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const row = '#alerts tr[data-alert="ConsoleProbe"]';
    await expect
      .poll(
        async () => {
          await page.click('[data-refresh=alerts]');
          return page.textContent(`${row} td:first-child`).catch(() => null);
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe('firing');
    expect(await page.textContent(`${row} td:nth-child(5)`)).toMatch(/^gateway 127\.0\.0\.1:\d+ is up$/);

    await page.click(`${row} button:has-text("Ack")`);
    await expect.poll(() => page.textContent(`${row} td:nth-child(7)`)).toContain(`acked by`);
    await page.click(`${row} button:has-text("Silence 1h")`);
    await expect.poll(() => page.textContent(`${row} td:first-child`)).toBe('firing (silenced)');
    expect(await page.textContent('#notice')).toContain('alertname="ConsoleProbe", service="gateway"');
    const silences = await api('GET', '/api/monitoring/silences', token!);
    expect(
      silences.body.silences.some((s: { comment: string }) => s.comment === 'silenced from the console'),
    ).toBe(true);
  }, 60_000);

  it('predicts with a model, and moves and rolls back an alias', async () => {
    const row = '#models tr[data-model="iris-classifier"]';
    await page.waitForSelector(row);
    expect(await page.textContent(`${row} td:nth-child(3)`)).toContain('production → v1');
    await page.selectOption('#predict-form select[name=model]', 'iris-classifier');
    await page.fill('#predict-form textarea', '[[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]');
    await page.click('#predict-form button[type=submit]');
    await expect
      .poll(() => page.textContent('#predict-result'))
      .toMatch(/^iris-classifier v1 \(production\)\n/);
    expect((await page.textContent('#predict-result'))!.split('\n')).toHaveLength(3);

    await page.fill('#predict-form textarea', '[[1, 2]]');
    await page.click('#predict-form button[type=submit]');
    await expect.poll(() => page.getAttribute('#predict-result', 'class')).toBe('result bad');
    expect(await page.textContent('#predict-result')).toMatch(/4/);

    // Version 2 does not exist yet: moving to it is refused with the service's reason.
    await page.fill('#alias-form input[name=version]', '2');
    await page.click('#alias-form button[type=submit]');
    await expect.poll(() => page.getAttribute('#alias-result', 'class')).toBe('bad');
    expect(await page.textContent('#alias-result')).toMatch(/version 2|not found|does not exist/i);

    // Upload a second version (the same ONNX file), then move production to it and back.
    const token = await page.evaluate<string | null>('sessionStorage.getItem("opsmesh.token")');
    const upload = await fetch(`${system.gateway}/api/ml/models/iris-classifier/versions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
      body: readFileSync(join(REPO_ROOT, 'services/ml-service/models/iris-classifier.onnx')),
    });
    expect(upload.status, await upload.clone().text()).toBe(201);
    await page.click('#alias-form button[type=submit]');
    await expect.poll(() => page.textContent('#alias-result')).toBe('production now points at v2.');
    await expect.poll(() => page.textContent(`${row} td:nth-child(3)`)).toContain('production → v2');
    await page.click('#alias-rollback');
    await expect.poll(() => page.textContent('#alias-result')).toBe('production rolled back to v1.');
    await expect.poll(() => page.textContent(`${row} td:nth-child(3)`)).toContain('production → v1');
  }, 30_000);

  it('talks to ChatOps and logs out', async () => {
    await page.fill('#chat-form input[name=text]', 'list models');
    await page.click('#chat-form button[type=submit]');
    await expect.poll(() => page.locator('#chat-log p').count()).toBe(2);
    const reply = await page.locator('#chat-log p').nth(1).textContent();
    expect(reply).toContain('iris-classifier');

    await page.click('#logout');
    await page.waitForSelector('#login-view', { state: 'visible' });
    expect(await page.evaluate<string | null>('sessionStorage.getItem("opsmesh.token")')).toBeNull();
    expect(pageErrors).toEqual([]);
  }, 30_000);
});
