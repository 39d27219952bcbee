import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createDatabase, createLogger, migrate } from '@opsmesh/shared';
import { createTestIdentity, type TestIdentity } from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonitoringDB } from '../src/models/db.js';
import { buildHarness, type Harness, MIGRATIONS, startServer, testClock } from './helpers/harness.js';

/** A scrape target shaped like an opsmesh service, which the test can stop and start. */
function serviceExposition(requests: number): string {
  return [
    '# TYPE http_requests_total counter',
    `http_requests_total{service="api-service",method="GET",route="/x",status_code="200"} ${requests}`,
    '# TYPE http_request_duration_seconds histogram',
    `http_request_duration_seconds_bucket{service="api-service",method="GET",route="/x",le="0.1"} ${requests}`,
    `http_request_duration_seconds_bucket{service="api-service",method="GET",route="/x",le="+Inf"} ${requests}`,
    `http_request_duration_seconds_sum{service="api-service",method="GET",route="/x"} ${requests * 0.01}`,
    `http_request_duration_seconds_count{service="api-service",method="GET",route="/x"} ${requests}`,
    'nodejs_eventloop_lag_seconds{service="api-service"} 0.01',
    'process_resident_memory_bytes{service="api-service"} 100000000',
  ].join('\n');
}

describe('alert flow: scrape, ServiceDown, notify through the outbox, restart, outage, resolve', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'monitoring-flow-'));
  const clock = testClock();
  let alive = true;
  let receiverUp = false;
  let requests = 0;
  const received: Array<{
    status: string;
    alerts: Array<{ status: string; labels: Record<string, string> }>;
  }> = [];
  let target: Awaited<ReturnType<typeof startServer>>;
  let receiver: Awaited<ReturnType<typeof startServer>>;
  let identity: TestIdentity;
  let h: Harness;
  // The runtime's log lines, as the supervisor's terminal view reads them.
  const logged: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    service: 'monitoring-service',
    level: 'info',
    destination: new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logged.push(JSON.parse(line));
        done();
      },
    }),
  });
  const alertLines = () =>
    logged
      .filter((l) => l['alertname'] === 'ServiceDown')
      .map((l) => `${l['level']} ${l['msg']} ${l['alertService']}`);

  const open = async () => {
    const database = await createDatabase<MonitoringDB>({ service: 'monitoring', dataDir });
    await migrate(database.db, MIGRATIONS);
    return buildHarness({
      services: { 'api-service': [target.url] },
      now: clock.now,
      database,
      identity,
      logger,
      env: {
        ALERT_RECEIVERS: `chatops=${receiver.url}/hook`,
        GROUP_WAIT: '10s',
        GROUP_INTERVAL: '1m',
        REPEAT_INTERVAL: '1h',
      },
    });
  };
  const step = async () => {
    clock.advance(15_000);
    requests += 150;
    await h.runtime.scrape();
    await h.runtime.readiness.pollAll();
    await h.runtime.alerts.evaluate();
    return h.runtime.deliverer.deliverDue();
  };
  const alerts = async () => {
    const res = await h.app.inject({
      method: 'GET',
      url: '/alerts',
      headers: { authorization: `Bearer ${await h.token(['viewer'])}` },
    });
    return res.json().alerts as Array<{ alertname: string; state: string; fingerprint: string }>;
  };

  beforeAll(async () => {
    identity = await createTestIdentity();
    target = await startServer((req) => {
      if (!alive) return { status: 503, body: 'stopped' };
      if (req.url === '/metrics') return { status: 200, body: serviceExposition(requests) };
      return { status: 200, body: '{"status":"ok"}', type: 'application/json' };
    });
    receiver = await startServer((_req, body) => {
      if (!receiverUp) return { status: 503 };
      received.push(JSON.parse(body));
      return { status: 200 };
    });
    h = await open();
  }, 60_000);

  afterAll(async () => {
    await h?.close();
    await target?.close();
    await receiver?.close();
    await identity?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  let lastUpAt: string | undefined;
  it('computes signals from the scraped RED metrics', async () => {
    for (let i = 0; i < 5; i++) await step();
    // Five scrapes 15 s apart: a 1m window is full, as a 5m one would not be.
    const res = await h.app.inject({
      method: 'GET',
      url: '/signals?window=1m',
      headers: { authorization: `Bearer ${await h.token(['viewer'])}` },
    });
    const row = res.json().services.find((s: { service: string }) => s.service === 'api-service');
    expect(row.signals.request_rate).toBeCloseTo(10, 6);
    expect(row.signals.error_ratio).toBe(0);
    expect(row.signals.latency_p99).toBeCloseTo(0.099, 6);
    expect(row.signals.availability).toBe(1);
    expect(row.signals.saturation).toBeCloseTo(0.1, 6);
    const view = await h.app.inject({
      method: 'GET',
      url: '/services',
      headers: { authorization: `Bearer ${await h.token(['viewer'])}` },
    });
    expect(view.json().services[0].instances[0]).toMatchObject({
      up: true,
      ready: true,
      lastError: null,
      availability: 1,
    });
    expect(view.json().services[0].replicas).toEqual({ total: 1, up: 1, ready: 1 });
    lastUpAt = view.json().services[0].instances[0].lastUpAt;
    expect(lastUpAt).toBe(view.json().services[0].instances[0].lastScrapeAt);
  });

  it('takes ServiceDown to pending then firing when the service stops, while the receiver is down', async () => {
    alive = false;
    await step();
    expect((await alerts()).find((a) => a.alertname === 'ServiceDown')?.state).toBe('pending');
    await step();
    await step();
    expect((await alerts()).find((a) => a.alertname === 'ServiceDown')?.state).toBe('firing');
    expect(alertLines()).toEqual(['warn alert firing api-service']);
    const report = await step(); // group_wait passed: the notification is enqueued, delivery fails
    expect(report.failed).toBeGreaterThan(0);
    expect(received).toEqual([]);
    expect(await h.runtime.deliverer['options'].repository.pendingCount()).toBe(1);
    const view = await h.app.inject({
      method: 'GET',
      url: '/services',
      headers: { authorization: `Bearer ${await h.token(['viewer'])}` },
    });
    expect(view.json().services[0].instances[0]).toMatchObject({ up: false, ready: false });
    expect(view.json().services[0].replicas).toEqual({ total: 1, up: 0, ready: 0 });
    // Where its data ends: the last scrape that succeeded, not the last one tried.
    expect(view.json().services[0].instances[0].lastUpAt).toBe(lastUpAt);
    expect(view.json().services[0].instances[0].lastScrapeAt > lastUpAt!).toBe(true);
    expect(view.json().services[0].instances[0].lastError).toMatch(/HTTP 503/);
  });

  it('keeps the firing alert and the pending notification across a restart, and notifies once', async () => {
    await h.close();
    h = await open();
    const firing = (await alerts()).find((a) => a.alertname === 'ServiceDown');
    expect(firing?.state).toBe('firing');
    await step();
    await step();
    expect(received).toEqual([]);
    receiverUp = true;
    clock.advance(60_000); // past the retry backoff
    await step();
    for (let i = 0; i < 4; i++) await step();
    const firingNotices = received.filter((p) => p.status === 'firing');
    expect(firingNotices).toHaveLength(1);
    expect(firingNotices[0]!.alerts[0]!.labels['alertname']).toBe('ServiceDown');
  });

  it('resolves when the service is back and notifies the resolution once', async () => {
    alive = true;
    for (let i = 0; i < 6; i++) await step();
    expect((await alerts()).find((a) => a.alertname === 'ServiceDown')?.state).toBe('resolved');
    expect(received.map((p) => p.status)).toEqual(['firing', 'resolved']);
    // Logged once each, the restart in between included.
    expect(alertLines()).toEqual(['warn alert firing api-service', 'info alert resolved api-service']);
    const history = await h.app.inject({
      method: 'GET',
      url: '/alerts/history?limit=50',
      headers: { authorization: `Bearer ${await h.token(['viewer'])}` },
    });
    const events = history
      .json()
      .entries.filter((e: { alertname: string }) => e.alertname === 'ServiceDown')
      .map((e: { event: string }) => e.event)
      .reverse();
    expect(events).toEqual(['pending', 'firing', 'notified', 'resolved', 'notified']);
  });
});
