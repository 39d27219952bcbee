// The operator console in a real browser (Debian's chromium, driven by playwright-core) against
// the whole platform started as processes: every view at 1440 and 390 px with screenshots kept
// under test-artifacts/console/, no sideways scroll on a phone, the operator's flows (triage,
// silences, a model's page, chat) and a viewer who is shown no action their role cannot run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  jsonCaller,
  REPO_ROOT,
  type RunningSystem,
  SYSTEM_ADMIN,
  skipUnlessBinary,
  startSystem,
} from '@opsmesh/shared/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, openPage, overflow, screenshot, show } from './support/console-page.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = skipUnlessBinary(CHROMIUM, 'chromium');
const VIEWER = { email: 'viewer@opsmesh.test', password: 'staple-lantern-orbit-77' };
const POLL = { timeout: 30_000, interval: 500 };

/** Every view, and what shows it has rendered. */
const VIEWS: [string, string][] = [
  ['services', '.card.service'],
  ['alerts', '.alert-group'],
  ['silences', '.silence-list'],
  ['models', '.card.model'],
  ['models/iris-classifier', '#versions'],
  ['chat', '#chat-form'],
  ['api-keys', '#api-keys, #view .empty'],
];

describe.skipIf(skip)('the operator console in a browser', () => {
  let system: RunningSystem;
  let browser: Browser;
  let page: Page;
  let admin: string;
  let api: ReturnType<typeof jsonCaller>;
  const errors: string[] = [];
  const outside: string[] = [];
  const rule = (name: string, expr: string, extra: object) =>
    api('POST', '/api/monitoring/rules', admin, { name, expr, for: '0s', ...extra });
  const up = (service: string) => `up{service="${service}"} == 1`;

  beforeAll(async () => {
    // Scrapes and rule evaluations every second or two, so alerts show within the test.
    // Every prediction recorded, so the model page lists the one the test makes.
    system = await startSystem({
      SCRAPE_INTERVAL: '2s',
      SCRAPE_TIMEOUT: '1s',
      EVALUATION_INTERVAL: '1s',
      // Notifications go out two seconds after an alert fires, so the alerts view shows how the
      // delivery to the ChatOps service went.
      GROUP_WAIT: '2s',
      ML_PREDICTION_LOG_EVERY: '1',
      // Spans reach the trace store within half a second, so a trace is there when it is opened.
      OTEL_BSP_SCHEDULE_DELAY: '500',
      // The test freezes a service (SIGSTOP) to show it down: the supervisor's liveness probe
      // would replace it meanwhile, as it should outside a test.
      OPSMESH_LIVENESS_PERIOD_SECONDS: '0',
    });
    api = jsonCaller(system.gateway);
    admin = (await api('POST', '/api/auth/login', undefined, SYSTEM_ADMIN)).body.access_token;
    await api('POST', '/api/auth/users', admin, {
      ...VIEWER,
      display_name: 'Vera Viewer',
      roles: ['viewer'],
    });
    const rules = await Promise.all([
      rule('ConsoleCritical', up('gateway'), {
        severity: 'critical',
        annotations: { summary: 'gateway {{ $labels.instance }} is up' },
      }),
      rule('ConsolePending', up('auth-service'), { severity: 'info', for: '1h' }),
      rule('ConsoleResolved', up('monitoring-service'), { severity: 'warning' }),
      // Saturation of ml-service (its memory against the budget) above 0.01%: a warning the
      // services view colours the signal by (annotation `signal`, scoped by `labels.service`).
      rule(
        'ConsoleSaturation',
        'max by (service) (process_resident_memory_bytes{service="ml-service"}) / 1e9 > 0.0001',
        {
          severity: 'warning',
          labels: { service: 'ml-service' },
          annotations: {
            signal: 'saturation',
            summary: 'ml-service is {{ humanizePercentage $value }} full',
          },
        },
      ),
    ]);
    for (const r of rules) expect(r.status, JSON.stringify(r.body)).toBe(201);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await openPage(browser, 1440, errors, outside);
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
    await expect.poll(() => page.textContent('#login-error'), POLL).toMatch(/password|credentials/i);
    // A newcomer who has not kept the printed password is told where it was and how to reset it.
    const help = await page.locator('#login-help').textContent({ timeout: 5_000 });
    expect(help?.replace(/\s+/g, ' ')).toMatch(
      /first admin, admin@opsmesh\.local .* printed once .* npx opsmesh admin reset-password/,
    );
    await screenshot(page, 'login-refused-1440');
    await logIn(page, system.gateway, SYSTEM_ADMIN);
    await expect.poll(() => page.textContent('#whoami'), POLL).toBe(`${SYSTEM_ADMIN.email} · admin`);
  }, 30_000);

  it('shows a card per service with every signal, coloured by the rules, and greys a stopped one', async () => {
    await show(page, system.gateway, 'services', '.card.service');
    for (const name of ['auth-service', 'ml-service', 'monitoring-service', 'chatops-service', 'gateway']) {
      const card = `.card.service[data-service="${name}"]`;
      await expect.poll(() => page.locator(`${card} .signal`).count(), POLL).toBe(7);
      expect(await page.locator(`${card} .spark canvas`).count()).toBe(7);
      // Breakers that have tripped are listed with their state; none tripped is said so.
      expect(await page.textContent(`${card} .breakers`)).toMatch(
        /^breakers( none tripped|(open|half-open|closed) → )/,
      );
    }
    // Per-replica health in the header: every replica discovery lists, and how many are ready.
    await expect
      .poll(async () => {
        await page.click('.view-head button');
        return page.textContent('.card.service[data-service="gateway"] header .badge');
      }, POLL)
      .toBe('1/1 replica ready');
    // The serving gateway's rate-limit store: this system has no Redis and one gateway, which counts
    // every request itself, so its limits are exact: said plainly, not as a warning.
    const limitNote = '.card.service[data-service="gateway"] .rate-limit-store';
    expect(await page.textContent(limitNote)).toMatch(
      /^rate limits: local This gateway counts every request itself \(REDIS_URL is not set\)\. Set REDIS_URL before running more than one gateway/,
    );
    expect(await page.getAttribute(limitNote, 'class')).not.toContain('down-note');
    expect(await page.locator(`${limitNote} .badge-warning`).count()).toBe(0);
    expect(await page.getAttribute('[data-signal="saturation"] .term', 'data-tip')).toMatch(/event-loop lag/);
    // The rule says saturation of ml-service above 0.01% is a warning: the value is coloured so.
    const saturation = '.card.service[data-service="ml-service"] [data-signal="saturation"] .value';
    await expect
      .poll(async () => {
        await page.click('.view-head button');
        return page.getAttribute(saturation, 'class');
      }, POLL)
      .toBe('value state-warning');
    expect(await page.textContent(saturation)).toMatch(/^\d+(\.\d+)?%$/);

    // A frozen service stops answering its scrapes: greyed, no stale numbers, the time data stopped.
    system.supervisor.kill('chatops-service', 'SIGSTOP');
    try {
      const card = '.card.service[data-service="chatops-service"]';
      await expect
        .poll(async () => {
          await page.click('.view-head button');
          return page.getAttribute(card, 'class');
        }, POLL)
        .toContain('down');
      expect(await page.textContent(`${card} .down-note`)).toMatch(
        /^No data since \d\d:\d\d:\d\d \(\d+s ago\)\.$/,
      );
      expect(await page.textContent(`${card} header .badge`)).toBe('down · 0/1 answering');
      expect(await page.textContent(`${card} [data-signal="request_rate"] .value`)).toBe('–');
      await screenshot(page, 'services-down-1440');
    } finally {
      system.supervisor.kill('chatops-service', 'SIGCONT');
    }
  }, 90_000);

  it('answers PromQL through the gateway from the built-in engine, guarded as the other reads', async () => {
    const query = `/api/monitoring/query?${new URLSearchParams({ query: 'sum by (service) (up)' })}`;
    expect((await api('GET', query)).status).toBe(401);
    const res = await api('GET', query, admin);
    expect(res.status).toBe(200);
    expect(res.body.data.resultType).toBe('vector');
    expect(res.body.data.result.map((r: { metric: { service: string } }) => r.metric.service)).toContain(
      'gateway',
    );
    const exported = await fetch(`${system.gateway}/api/monitoring/rules/export`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(await exported.text()).toContain('alert: ConsoleSaturation');
  });

  it('triages alerts: firing before pending, by severity, values readable, resolved folded away', async () => {
    await expect
      .poll(
        async () => (await api('GET', '/api/monitoring/alerts?state=firing', admin)).body.alerts.length,
        POLL,
      )
      .toBeGreaterThanOrEqual(3);
    const resolved = (await api('GET', '/api/monitoring/rules', admin)).body.rules.find(
      (r: { name: string }) => r.name === 'ConsoleResolved',
    );
    expect((await api('DELETE', `/api/monitoring/rules/${resolved.id}`, admin)).status).toBe(204);
    await show(page, system.gateway, 'alerts', '.alert-group');
    await expect
      .poll(() => page.locator('details.resolved [data-group="ConsoleResolved"]').count(), POLL)
      .toBe(1);
    // Where alerts go: npm start routes them to the ChatOps service, which has no Slack here, so
    // the view says the notification went nowhere and why.
    const chatops = '#alert-delivery [data-receiver="chatops"]';
    expect(await page.textContent('#alert-delivery')).toMatch(/^Alerts go to:/);
    await expect
      .poll(async () => {
        await page.click('.view-head button:has-text("Refresh")');
        return page.textContent(chatops);
      }, POLL)
      .toMatch(
        /chatops \(the ChatOps service\) http:\/\/127\.0\.0\.1:\d+\/notifications\/alertmanager · last attempt .* failed: .*slack_not_configured/,
      );
    expect(await page.getAttribute('details.resolved', 'open')).toBeNull();

    const order = await page.$$eval('#view > div > .alert-group', (groups) =>
      groups.map((g) => g.getAttribute('data-group')),
    );
    const at = (name: string) => order.indexOf(name);
    expect(at('ConsoleCritical')).toBeGreaterThanOrEqual(0);
    expect(at('ConsoleCritical')).toBeLessThan(at('ConsoleSaturation'));
    expect(at('ConsoleSaturation')).toBeLessThan(at('ConsolePending'));

    const pending = '[data-group="ConsolePending"] li.alert';
    expect(await page.textContent(`${pending} .alert-head`)).toContain('pending');
    expect(await page.locator(`${pending} button, ${pending} a.button`).count()).toBe(0);
    const saturation = await page.textContent('[data-group="ConsoleSaturation"] .chip.value');
    expect(saturation).toMatch(/value \d+(\.\d{1,2})?%$/);
    expect(await page.textContent('[data-group="ConsoleSaturation"] .summary')).toMatch(
      /^ml-service is [\d.]+% full$/,
    );

    const critical = '[data-group="ConsoleCritical"] li.alert';
    await page.click(`${critical} button:has-text("Ack")`);
    await expect
      .poll(() => page.textContent(`${critical} .acked`), POLL)
      .toMatch(`acked by ${SYSTEM_ADMIN.email}`);
    expect(await page.textContent('#view')).not.toMatch(/usr_[0-9A-Za-z]+/);
    await screenshot(page, 'alerts-triaged-1440');
  }, 90_000);

  it('silences from an alert with its matchers, then lists, edits and expires the silence', async () => {
    await page.click('[data-group="ConsoleCritical"] a:has-text("Silence")');
    await page.waitForSelector('#silence-form');
    const matchers = await page.inputValue('#silence-form textarea[name=matchers]');
    expect(matchers.split('\n')).toEqual(
      expect.arrayContaining(['alertname="ConsoleCritical"', 'service="gateway"']),
    );
    await page.fill('#silence-form input[name=duration]', '90m');
    await page.fill('#silence-form input[name=comment]', 'looking into it from the console');
    await page.click('#silence-form button[type=submit]');
    await expect.poll(() => page.textContent('#silence-form .result'), POLL).toMatch(/^Created sil_/);
    const item = 'li.silence:has-text("looking into it from the console")';
    await page.waitForSelector(item);
    expect(await page.textContent(item)).toContain(`by ${SYSTEM_ADMIN.email}`);

    await page.click(`${item} button:has-text("Edit")`);
    expect(await page.textContent('#silence-form h2')).toMatch(/^Edit sil_/);
    await page.fill('#silence-form input[name=comment]', 'narrowed: gateway only');
    await page.click('#silence-form button[type=submit]');
    await expect.poll(() => page.textContent('#silence-form .result'), POLL).toMatch(/^Saved sil_/);
    const edited = 'li.silence:has-text("narrowed: gateway only")';
    await page.waitForSelector(edited);
    await screenshot(page, 'silences-1440');

    await page.click(`${edited} button:has-text("Expire")`);
    await page.click('dialog.confirm button[value=ok]');
    await expect.poll(() => page.locator(`details.resolved ${edited}`).count(), POLL).toBe(1);
    expect(await page.locator(`${edited} button`).count()).toBe(0);
  }, 60_000);

  it("shows a model's versions, predicts from its feature names, and moves and rolls back an alias after confirming", async () => {
    // The models list names the command that uploads, the console having no upload form.
    await show(page, system.gateway, 'models', '.card.model');
    expect(await page.textContent('#upload-hint')).toContain('npx opsmesh models upload <name> <file.onnx>');
    await show(page, system.gateway, 'models/iris-classifier', '#versions');
    expect(await page.textContent('#versions tr[data-version="1"]')).toMatch(/896 B|KB/);
    await page.fill('#predict-form input[name="sepal_length_cm"]', '5.1');
    await page.fill('#predict-form input[name="sepal_width_cm"]', '3.5');
    await page.fill('#predict-form input[name="petal_length_cm"]', '1.4');
    await page.fill('#predict-form input[name="petal_width_cm"]', '0.2');
    await page.click('#predict-form button:has-text("Add a row")');
    const second = '#predict-form fieldset:nth-of-type(2)';
    for (const [name, value] of Object.entries({
      sepal_length_cm: 6.7,
      sepal_width_cm: 3,
      petal_length_cm: 5.2,
      petal_width_cm: 2.3,
    })) {
      await page.fill(`${second} input[name="${name}"]`, String(value));
    }
    await page.click('#predict-form button[type=submit]');
    await expect.poll(() => page.locator('#predict-table tbody tr').count(), POLL).toBe(2);
    expect(await page.textContent('#predict-form .result')).toBe(
      'iris-classifier v1 (production) answered 2 row(s).',
    );
    await expect.poll(() => page.textContent('#predictions'), POLL).toContain(SYSTEM_ADMIN.email);

    const upload = await fetch(`${system.gateway}/api/ml/models/iris-classifier/versions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/octet-stream' },
      body: readFileSync(join(REPO_ROOT, 'services/ml-service/models/iris-classifier.onnx')),
    });
    expect(upload.status).toBe(201);
    await page.reload();
    await page.waitForSelector('#versions tr[data-version="2"]');
    expect(await page.getAttribute('#alias-form', 'data-model')).toBe('iris-classifier');
    expect(await page.textContent('#alias-form h3')).toBe('Move an alias of iris-classifier');
    await page.selectOption('#alias-form select[name=version]', '2');
    await page.click('#alias-form button[type=submit]');
    expect(await page.textContent('dialog.confirm')).toContain(
      'production of iris-classifier will serve v2 instead of v1',
    );
    await page.click('dialog.confirm button[value=cancel]');
    expect(await page.textContent('#aliases tr[data-alias="production"]')).toContain('v1');
    await page.click('#alias-form button[type=submit]');
    await page.click('dialog.confirm button[value=ok]');
    await expect.poll(() => page.textContent('#aliases tr[data-alias="production"]'), POLL).toContain('v2');
    expect(await page.textContent('#notice')).toBe('production of iris-classifier now points at v2.');

    await page.click('[data-history="production"] summary');
    await page.click('[data-history="production"] button:has-text("Roll back to here (v1)")');
    await page.click('dialog.confirm button[value=ok]');
    await expect.poll(() => page.textContent('#aliases tr[data-alias="production"]'), POLL).toContain('v1');
    await page.click('[data-history="production"] summary');
    expect(await page.textContent('[data-history="production"]')).toContain(`by ${SYSTEM_ADMIN.email}`);
    await screenshot(page, 'model-after-rollback-1440');
  }, 60_000);

  it('renders chat replies as text with formatting and emoji, confirms with buttons or a yes, shows people by email', async () => {
    await show(page, system.gateway, 'chat', '#chat-form');
    const say = async (text: string) => {
      const before = await page.locator('#chat-log .msg.bot').count();
      await page.fill('#chat-form input[name=text]', text);
      await page.click('#chat-form button[type=submit]');
      await expect.poll(() => page.locator('#chat-log .msg.bot').count(), POLL).toBe(before + 1);
      return page.locator('#chat-log .msg.bot').last();
    };
    const status = await say('status');
    expect(await status.textContent()).toMatch(/🟢/);
    expect(await status.textContent()).not.toMatch(/:[a-z_]+_circle:|\*\w/);
    expect(await status.locator('strong').count()).toBeGreaterThan(0);

    await say('<img src=x onerror="document.title=\'pwned\'"> *hi*');
    expect(await page.locator('#chat-log img').count()).toBe(0);
    expect(await page.locator('#chat-log .msg.me').last().textContent()).toContain('<img src=x');
    expect(await page.title()).not.toBe('pwned');

    const asked = await say('silence ServiceDown for 1h because console chat test');
    await asked.locator('button:has-text("Cancel")').click();
    await expect
      .poll(() => page.locator('#chat-log .msg.bot').last().textContent(), POLL)
      .toMatch(/Cancelled/);
    await say('silence ServiceDown for 1h because console chat test');
    const done = await say('yes');
    await expect.poll(() => done.textContent(), POLL).toMatch(/silenc/i);

    // A question back offers the known names as buttons; pressing one sends its text.
    const which = await say('rollback');
    const before = await page.locator('#chat-log .msg.bot').count();
    await which.locator('button:has-text("iris-classifier")').click();
    await expect.poll(() => page.locator('#chat-log .msg.bot').count(), POLL).toBe(before + 1);
    expect(await page.locator('#chat-log .msg.me').last().textContent()).toBe(
      '/ops models rollback iris-classifier',
    );
    await page.locator('#chat-log .msg.bot').last().locator('button:has-text("Cancel")').click();
    await expect
      .poll(() => page.locator('#chat-log .msg.bot').last().textContent(), POLL)
      .toMatch(/Cancelled/);

    const me = await say('who am i');
    await expect.poll(() => me.textContent(), POLL).toContain(SYSTEM_ADMIN.email);
    expect(await me.textContent()).not.toMatch(/usr_[0-9A-Za-z]+/);
    await screenshot(page, 'chat-conversation-1440');
  }, 60_000);

  it("opens a ChatOps reply's trace as a waterfall, and a failed request's trace from its request id", async () => {
    await show(page, system.gateway, 'chat', '#chat-form');
    const before = await page.locator('#chat-log .msg.bot').count();
    await page.fill('#chat-form input[name=text]', 'predict iris-classifier 5.1 3.5 1.4 0.2');
    await page.click('#chat-form button[type=submit]');
    await expect.poll(() => page.locator('#chat-log .msg.bot').count(), POLL).toBe(before + 1);
    const href = await page.locator('#chat-log .msg.bot').last().locator('a.trace-link').getAttribute('href');
    expect(href).toMatch(/^#\/traces\/[0-9a-f]{32}$/);
    // The reply's trace spans the gateway, chatops and ml (each service's spans arrive within the
    // export delay, so the page is opened again until all are there).
    const services = () =>
      page
        .locator('#waterfall .span-row')
        .evaluateAll((rows) =>
          rows.map((r) => (r as unknown as { dataset: Record<string, string> }).dataset['service']),
        );
    await expect
      .poll(async () => {
        await page.goto(`${system.gateway}/#/traces`);
        await page.goto(`${system.gateway}/${href}`);
        await page.waitForSelector('#waterfall, p.bad[role=alert]');
        return services();
      }, POLL)
      .toEqual(expect.arrayContaining(['gateway', 'chatops-service', 'ml-service']));
    expect(await page.textContent('#trace-summary')).toMatch(/trace [0-9a-f]{32}/);
    // The list says where its page sits among all the traces that match.
    await page.goto(`${system.gateway}/#/traces`);
    await page.waitForSelector('#traces-page');
    expect(await page.textContent('#traces-page')).toMatch(/^1–\d+ of \d+/);
    await page.goto(`${system.gateway}/${href}`);
    await page.waitForSelector('#waterfall');
    const bars = await page
      .locator('#waterfall .span-bar')
      .evaluateAll((els) =>
        els
          .map((b) => (b as unknown as { style: Record<string, string> }).style)
          .map((st) => [Number.parseFloat(st['left']!), Number.parseFloat(st['width']!)]),
      );
    expect(bars.every(([left, width]) => left! >= 0 && left! <= 100 && width! > 0)).toBe(true);
    await page.locator('#waterfall .span-row', { hasText: 'onnx.run' }).first().click();
    await expect.poll(() => page.textContent('#span-detail'), POLL).toContain('opsmesh.onnx.model');
    await screenshot(page, 'trace-waterfall-1440');

    // A refused request: its problem+json request id leads to its trace.
    const refused = await fetch(`${system.gateway}/api/ml/models/no-such-model`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    const requestId = ((await refused.json()) as { requestId: string }).requestId;
    await expect
      .poll(async () => {
        await page.goto(`${system.gateway}/#/traces?requestId=${requestId}`);
        await page.waitForSelector('#waterfall, #traces, .empty, p.bad[role=alert]');
        return page.locator('#waterfall .span-row[data-service="ml-service"]').count();
      }, POLL)
      .toBeGreaterThanOrEqual(1);
  }, 90_000);

  it('shows a viewer no action their role cannot run', async () => {
    const viewer = await openPage(browser, 1440, errors, outside);
    await logIn(viewer, system.gateway, VIEWER);
    // The view is read again until an alert group shows; if none does, the failure prints what
    // the viewer saw instead (an empty list or an error).
    await expect
      .poll(
        async () => {
          // A view that never renders reads as its text, not as the wait's timeout.
          await show(viewer, system.gateway, 'alerts', '.alert-group, .empty, p.bad[role=alert]').catch(
            () => {},
          );
          return (await viewer.locator('.alert-group').count()) > 0
            ? 'alert groups shown'
            : await viewer.textContent('#view');
        },
        { timeout: 60_000, interval: 500 },
      )
      .toBe('alert groups shown');
    expect(await viewer.locator('.alert-group button, .alert-group a.button').count()).toBe(0);
    await show(viewer, system.gateway, 'silences', '.silence-list, .empty');
    expect(await viewer.locator('#silence-form').count()).toBe(0);
    expect(await viewer.locator('li.silence button').count()).toBe(0);
    await show(viewer, system.gateway, 'models', '.card.model');
    expect(await viewer.locator('#upload-hint').count()).toBe(0);
    await show(viewer, system.gateway, 'models/iris-classifier', '#versions');
    expect(await viewer.locator('#alias-form').count()).toBe(0);
    expect(await viewer.locator('button:has-text("Roll back")').count()).toBe(0);
    expect(await viewer.locator('#predict-form').count()).toBe(1);
    await screenshot(viewer, 'viewer-model-1440');
    await viewer.close();
  }, 120_000);

  it('API keys: creates one shown once with Copy, the key works through the gateway, revokes after a confirmation', async () => {
    const p = await openPage(browser, 1440, errors, outside);
    await p.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: system.gateway });
    await logIn(p, system.gateway, SYSTEM_ADMIN);
    await show(p, system.gateway, 'api-keys', '#api-key-form');
    // A blank name is named before anything is sent.
    await p.fill('#api-key-form input[name=name]', '   ');
    await p.click('#api-key-form button[type=submit]');
    await expect.poll(() => p.textContent('#api-key-form .result'), POLL).toMatch(/Give the key a name/);

    await p.fill('#api-key-form input[name=name]', 'console key');
    await p.selectOption('#api-key-form select[name=expires_in_days]', '30');
    await p.click('#api-key-form button[type=submit]');
    await p.waitForSelector('#api-key-secret');
    const key = await p.inputValue('#api-key-secret');
    expect(key).toMatch(/^omk_/);
    expect(await p.textContent('#api-key-created')).toContain('This key will not be shown again');
    await p.click('#api-key-copy');
    await expect.poll(() => p.textContent('#api-key-created .result'), POLL).toBe('Copied.');
    expect(await p.evaluate<string>('navigator.clipboard.readText()')).toBe(key);
    const row = p.locator('#api-keys tbody tr', { hasText: 'console key' });
    await expect.poll(() => row.textContent(), POLL).toMatch(/omk_\S+….*live.*never/);
    await screenshot(p, 'api-keys-created-1440');
    const used = await fetch(`${system.gateway}/api/ml/models`, { headers: { 'x-api-key': key } });
    expect(used.status).toBe(200);

    // Shown once: the page loaded again lists the key by its prefix only.
    await p.reload();
    await p.waitForSelector('#api-keys');
    expect(await p.locator('#api-key-secret').count()).toBe(0);
    expect(await p.textContent('#view')).not.toContain(key);
    await row.locator('button', { hasText: 'Revoke' }).click();
    await p.waitForSelector('dialog.confirm');
    expect(await p.textContent('dialog.confirm')).toMatch(/Revoke the key "console key"\?/);
    await p.click('dialog.confirm button[value=ok]');
    await expect.poll(() => row.textContent(), POLL).toMatch(/revoked/);
    expect(await row.locator('button').count()).toBe(0);
    await expect
      .poll(
        async () =>
          (await fetch(`${system.gateway}/api/ml/models`, { headers: { 'x-api-key': key } })).status,
        POLL,
      )
      .toBe(401);
    await p.close();
  }, 60_000);

  it('lays every view out at 1440 and 390 px with no sideways scroll on the phone', async () => {
    for (const width of [1440, 390]) {
      const p = await openPage(browser, width, errors, outside);
      await logIn(p, system.gateway, SYSTEM_ADMIN);
      for (const [hash, ready] of VIEWS) {
        await show(p, system.gateway, hash, ready);
        await p.waitForLoadState('networkidle');
        await screenshot(p, `${hash.replace('/', '-')}-${width}`);
        if (width === 390) expect(await overflow(p), `${hash} at 390 px`).toBe(0);
      }
      await p.close();
    }
  }, 120_000);

  it('serves the API reference from the gateway, with nothing fetched from elsewhere, and logs out', async () => {
    await page.goto(`${system.gateway}/docs`);
    await page.waitForSelector('.opblock', { timeout: 30_000 });
    expect(await page.locator('.opblock').count()).toBeGreaterThan(50);
    await screenshot(page, 'docs-1440');
    expect(outside).toEqual([]);

    await show(page, system.gateway, 'services', '.card.service');
    await page.click('#logout');
    await page.waitForSelector('#login-view', { state: 'visible' });
    expect(await page.evaluate<string | null>('sessionStorage.getItem("opsmesh.token")')).toBeNull();
    expect(errors).toEqual([]);
  }, 60_000);
});
