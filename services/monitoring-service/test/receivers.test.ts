import { Writable } from 'node:stream';
import { createLogger } from '@opsmesh/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHarness, type Harness, startServer, testClock } from './helpers/harness.js';

/**
 * Where alerts go: a start with no receiver says so once, a notification that reaches no one is
 * logged and counted, and GET /notifications/receivers lists each receiver with its last delivery.
 */

/** A logger at debug level whose lines the test reads. */
function keptLogger() {
  const lines: Array<{ level: string; msg: string; reason?: string }> = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger({ service: 'monitoring-service', level: 'debug', destination }) };
}

describe('where alerts go', () => {
  const clock = testClock();
  let down: Awaited<ReturnType<typeof startServer>>;
  let chatops: Awaited<ReturnType<typeof startServer>>;
  let pager: Awaited<ReturnType<typeof startServer>>;
  let alertmanager: Awaited<ReturnType<typeof startServer>>;
  const posted: string[] = [];
  const open: Harness[] = [];

  const harness = async (env: Record<string, string>) => {
    const kept = keptLogger();
    const h = await buildHarness({
      services: { 'api-service': [down.url] },
      now: clock.now,
      logger: kept.logger,
      env: { STARTUP_GRACE: '0s', GROUP_WAIT: '10s', ...env },
    });
    open.push(h);
    return { h, lines: kept.lines };
  };
  /** Enough 15 s steps for ServiceDown (for: 20s) to fire and its group to be due. */
  const untilNotified = async (h: Harness) => {
    for (let i = 0; i < 5; i++) {
      clock.advance(15_000);
      await h.runtime.scrape();
      await h.runtime.alerts.evaluate();
      await h.runtime.deliverer.deliverDue();
    }
  };
  const get = async (h: Harness, url: string) =>
    h.app.inject({ url, headers: { authorization: `Bearer ${await h.token(['viewer'])}` } });
  const dropped = async (h: Harness, reason: string) => {
    const text = (await h.app.inject({ url: '/metrics' })).body;
    const m = new RegExp(
      `^opsmesh_notifications_dropped_total\\{reason="${reason}"[^}]*\\} (\\d+)`,
      'm',
    ).exec(text);
    return m ? Number(m[1]) : 0;
  };

  beforeAll(async () => {
    down = await startServer(() => ({ status: 503, body: 'down' }));
    chatops = await startServer(() => ({
      status: 200,
      type: 'application/json',
      body: JSON.stringify({
        deliveries: [
          { channel: '#alerts', alerts: 1, ok: false, threaded: false, error: 'slack_not_configured' },
        ],
      }),
    }));
    pager = await startServer(() => ({ status: 503 }));
    alertmanager = await startServer((req) => {
      posted.push(req.url ?? '');
      return { status: 200, body: '' };
    });
  });
  afterAll(async () => {
    for (const h of open) await h.close();
    for (const s of [down, chatops, pager, alertmanager]) await s?.close();
  });

  it('says once at start that alerts go nowhere, and logs and counts each dropped notification', async () => {
    const { h, lines } = await harness({ ALERT_RECEIVERS: '' });
    const warnings = lines.filter((l) =>
      l.msg.startsWith('alerts will not be delivered: no receiver configured'),
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.level).toBe('warn');
    expect(warnings[0]!.msg).toMatch(/set ALERT_RECEIVERS .* or ALERTMANAGER_URL/);
    expect(await dropped(h, 'no_receiver')).toBe(0);
    await untilNotified(h);
    expect(await dropped(h, 'no_receiver')).toBe(1);
    const drops = lines.filter((l) => l.reason === 'no_receiver');
    expect(drops).toHaveLength(1);
    expect(drops[0]).toMatchObject({ level: 'debug', msg: expect.stringMatching(/^notification dropped/) });
    const res = await get(h, '/notifications/receivers');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ receivers: [], hint: expect.stringMatching(/^set ALERT_RECEIVERS/) });
  });

  it('lists every receiver with its last delivery, and what one took but passed on nowhere', async () => {
    const { h, lines } = await harness({
      ALERT_RECEIVERS: `chatops=${chatops.url}/notifications/alertmanager,pager=${pager.url}/hook?token=not-shown`,
      ALERTMANAGER_URL: alertmanager.url,
    });
    expect(lines.some((l) => l.msg.startsWith('alerts will not be delivered'))).toBe(false);
    const before = (await get(h, '/notifications/receivers')).json();
    expect(before.hint).toBeNull();
    expect(before.receivers.map((r: { name: string; kind: string }) => [r.name, r.kind])).toEqual([
      ['chatops', 'chatops'],
      ['pager', 'webhook'],
      ['alertmanager', 'alertmanager'],
    ]);
    expect(before.receivers.every((r: { lastAttemptAt: unknown }) => r.lastAttemptAt === null)).toBe(true);
    await untilNotified(h);
    const { receivers } = (await get(h, '/notifications/receivers')).json();
    const [chat, page, am] = receivers;
    expect(chat).toMatchObject({
      url: `${chatops.url}/notifications/alertmanager`,
      lastSuccessAt: null,
      lastError: 'chatops took the notification but passed it on nowhere (#alerts: slack_not_configured)',
      pending: 0,
    });
    expect(page).toMatchObject({
      url: `${pager.url}/hook`,
      lastError: 'HTTP 503',
      pending: 1,
      lastSuccessAt: null,
    });
    expect(am).toMatchObject({ url: `${alertmanager.url}/`, lastError: null, pending: 0 });
    expect(am.lastSuccessAt).toBe(new Date(clock.now()).toISOString());
    expect(posted).toContain('/api/v2/alerts');
    expect(await dropped(h, 'not_passed_on')).toBe(1);
    expect(await dropped(h, 'no_receiver')).toBe(0);
    expect(lines.filter((l) => l.reason === 'not_passed_on')).toHaveLength(1);
  });
});
