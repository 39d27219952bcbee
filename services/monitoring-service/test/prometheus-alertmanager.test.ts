import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary, freePort, type Started, startProcess } from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertmanagerClient } from '../src/services/notify/alertmanager-client.js';
import { buildHarness, type Harness, startServer } from './helpers/harness.js';
import { waitFor } from './helpers/processes.js';

/**
 * Against a real Prometheus and a real Alertmanager (Debian packages `prometheus` and
 * `prometheus-alertmanager`), each started here on its own loopback port with config files
 * this test writes. Without the binaries the test is skipped with a notice, except in CI.
 */
const prometheusBin = findBinary('prometheus');
const alertmanagerBin = findBinary('prometheus-alertmanager', 'alertmanager');
const inCi = process.env['CI'] === 'true' || process.env['CI'] === '1';
const missing = !prometheusBin || !alertmanagerBin;
if (missing && inCi) {
  throw new Error(
    'CI requires the prometheus and prometheus-alertmanager binaries (apt-get install prometheus prometheus-alertmanager)',
  );
}
if (missing) {
  process.stderr.write(
    'notice: prometheus / prometheus-alertmanager not installed; their integration tests are skipped\n',
  );
}

const TOKEN = 'integration-machine-token-0123456789';

/** A service exposition whose counters grow with real time: 10 req/s, 1 of them a 500. */
function liveExposition(service: string, startedAt: number): string {
  const s = (Date.now() - startedAt) / 1000;
  const ok = Math.floor(s * 9);
  const bad = Math.floor(s * 1);
  const n = ok + bad;
  const l = `service="${service}",method="GET",route="/x"`;
  return [
    '# TYPE http_requests_total counter',
    `http_requests_total{${l},status_code="200"} ${ok}`,
    `http_requests_total{${l},status_code="500"} ${bad}`,
    '# TYPE http_request_duration_seconds histogram',
    `http_request_duration_seconds_bucket{${l},le="0.05"} ${Math.floor(n * 0.5)}`,
    `http_request_duration_seconds_bucket{${l},le="0.25"} ${Math.floor(n * 0.9)}`,
    `http_request_duration_seconds_bucket{${l},le="1"} ${n}`,
    `http_request_duration_seconds_bucket{${l},le="+Inf"} ${n}`,
    `http_request_duration_seconds_sum{${l}} ${n * 0.1}`,
    `http_request_duration_seconds_count{${l}} ${n}`,
    `nodejs_eventloop_lag_seconds{service="${service}"} 0.02`,
    `process_resident_memory_bytes{service="${service}"} 200000000`,
    '',
  ].join('\n');
}

describe.skipIf(missing)('with a real Prometheus and Alertmanager', () => {
  const dir = mkdtempSync(join(tmpdir(), 'monitoring-prom-'));
  const startedAt = Date.now();
  let target: Awaited<ReturnType<typeof startServer>>;
  let prometheus: Started;
  let alertmanager: Started;
  let h: Harness;
  let monitoringUrl: string;
  let promUrl: string;
  let amUrl: string;
  let viewer: string;

  beforeAll(async () => {
    target = await startServer((req) =>
      req.url === '/metrics'
        ? { status: 200, body: liveExposition('demo-service', startedAt) }
        : { status: 200, body: '{}' },
    );
    const [monPort, promPort, amPort] = [await freePort(), await freePort(), await freePort()];
    monitoringUrl = `http://127.0.0.1:${monPort}`;
    promUrl = `http://127.0.0.1:${promPort}`;
    amUrl = `http://127.0.0.1:${amPort}`;
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 1s',
        '  evaluation_interval: 1s',
        'scrape_configs:',
        '  - job_name: opsmesh',
        '    http_sd_configs:',
        `      - url: ${monitoringUrl}/prometheus/targets`,
        '        refresh_interval: 1s',
        '        authorization:',
        '          type: Bearer',
        `          credentials: ${TOKEN}`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'alertmanager.yml'),
      [
        'route:',
        '  receiver: opsmesh',
        '  group_by: [alertname]',
        '  group_wait: 1s',
        '  group_interval: 1s',
        '  repeat_interval: 1h',
        'receivers:',
        '  - name: opsmesh',
        '    webhook_configs:',
        `      - url: ${monitoringUrl}/alertmanager/webhook`,
        '        send_resolved: true',
        '        http_config:',
        '          authorization:',
        '            type: Bearer',
        `            credentials: ${TOKEN}`,
        '',
      ].join('\n'),
    );
    h = await buildHarness({
      services: { 'demo-service': [target.url] },
      env: { MACHINE_TOKEN: TOKEN, PROMETHEUS_URL: promUrl, ALERTMANAGER_URL: amUrl, PORT: String(monPort) },
    });
    await h.app.listen({ host: '127.0.0.1', port: monPort });
    viewer = await h.token(['viewer']);
    prometheus = startProcess(prometheusBin!, [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ]);
    alertmanager = startProcess(alertmanagerBin!, [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'am')}`,
      `--web.listen-address=127.0.0.1:${amPort}`,
      '--cluster.listen-address=',
    ]);
    await waitFor(`Prometheus ready\n${prometheus.output()}`, 30_000, async () =>
      (await fetch(`${promUrl}/-/ready`)).ok ? true : undefined,
    );
    await waitFor(`Alertmanager ready\n${alertmanager.output()}`, 30_000, async () =>
      (await fetch(`${amUrl}/-/ready`)).ok ? true : undefined,
    );
  }, 90_000);

  afterAll(async () => {
    await prometheus?.stop();
    await alertmanager?.stop();
    await h?.close();
    await target?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('Prometheus discovers and scrapes every instance through the HTTP SD endpoint', async () => {
    const active = await waitFor('the target to be up in /api/v1/targets', 30_000, async () => {
      const body = (await (await fetch(`${promUrl}/api/v1/targets`)).json()) as {
        data: { activeTargets: Array<{ labels: Record<string, string>; health: string }> };
      };
      const t = body.data.activeTargets.find((x) => x.labels['service'] === 'demo-service');
      return t?.health === 'up' ? t : undefined;
    });
    expect(active.labels['instance']).toBe(new URL(target.url).host);
  }, 40_000);

  it('gives the same signals through Prometheus as the built-in store, within tolerance', async () => {
    // Both scrape the same target for a while; the local store is scraped here each second.
    const until = Date.now() + 12_000;
    while (Date.now() < until) {
      await h.runtime.scraper.scrapeAll();
      await new Promise((r) => setTimeout(r, 1000));
    }
    const res = await h.app.inject({
      method: 'GET',
      url: '/signals?window=10s',
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().source).toBe('prometheus');
    const remote = res.json().services.find((s: { service: string }) => s.service === 'demo-service').signals;
    const local = h.runtime.localSignals.all('demo-service', 10_000, Date.now());
    expect(remote.request_rate).toBeGreaterThan(0);
    for (const signal of [
      'request_rate',
      'error_ratio',
      'latency_p50',
      'latency_p95',
      'latency_p99',
      'saturation',
    ] as const) {
      const l = local[signal]!;
      const r = remote[signal] as number;
      expect(Math.abs(l - r), `${signal}: local ${l} vs prometheus ${r}`).toBeLessThanOrEqual(
        Math.max(0.2 * Math.abs(r), 0.02),
      );
    }
    expect(remote.availability).toBe(1);
    expect(local.availability).toBe(1);
  }, 40_000);

  it('evaluates alert rules through Prometheus when it is configured', async () => {
    const admin = await h.token(['admin']);
    const create = async (name: string, expr: unknown, op: string, threshold: number) => {
      const res = await h.app.inject({
        method: 'POST',
        url: '/rules',
        headers: { authorization: `Bearer ${admin}` },
        payload: { name, expr, op, threshold, for: '0s', severity: 'info' },
      });
      expect(res.statusCode, res.body).toBe(201);
    };
    // `job` is a label only Prometheus' own scrape adds: this rule can fire only through it.
    await create(
      'ScrapedByPrometheus',
      { kind: 'series', selector: 'up{job="opsmesh"}', function: 'value' },
      '==',
      1,
    );
    await create(
      'ErrorsThroughPromQL',
      {
        kind: 'series',
        selector: 'http_requests_total{status_code="500"}',
        function: 'rate',
        window: '10s',
        sumBy: ['service'],
      },
      '>',
      0.5,
    );
    await create('ErrorRatioSignal', { kind: 'signal', signal: 'error_ratio', window: '10s' }, '>', 0.05);
    // PromQL the built-in engine refuses is accepted when Prometheus evaluates the rules.
    const onlyPrometheus = await h.app.inject({
      method: 'POST',
      url: '/rules',
      headers: { authorization: `Bearer ${admin}` },
      payload: {
        name: 'OnlyPrometheusRuns',
        expr: 'label_replace(up{job="opsmesh"}, "copy", "$1", "service", "(.*)") == 1',
        severity: 'info',
      },
    });
    expect(onlyPrometheus.statusCode, onlyPrometheus.body).toBe(201);
    await h.runtime.alerts.evaluate();
    const res = await h.app.inject({
      method: 'GET',
      url: '/alerts',
      headers: { authorization: `Bearer ${viewer}` },
    });
    const firing = res.json().alerts as Array<{
      alertname: string;
      state: string;
      value: number;
      labels: Record<string, string>;
    }>;
    const byName = (n: string) => firing.find((a) => a.alertname === n);
    expect(byName('ScrapedByPrometheus')).toMatchObject({ state: 'firing', value: 1 });
    expect(byName('ScrapedByPrometheus')?.labels['job']).toBe('opsmesh');
    expect(byName('ErrorsThroughPromQL')?.labels['service']).toBe('demo-service');
    expect(byName('ErrorsThroughPromQL')?.value).toBeGreaterThan(0.5);
    expect(byName('ErrorsThroughPromQL')?.value).toBeLessThan(1.5);
    expect(byName('ErrorRatioSignal')?.labels['service']).toBe('demo-service');
    expect(byName('ErrorRatioSignal')?.value).toBeCloseTo(0.1, 1);
    expect(byName('OnlyPrometheusRuns')).toMatchObject({ state: 'firing', labels: { copy: 'demo-service' } });
  }, 40_000);

  it('passes PromQL through at /query and /query_range', async () => {
    const q = await h.app.inject({
      method: 'GET',
      url: '/query?query=up',
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(q.statusCode).toBe(200);
    expect(q.json().status).toBe('success');
    const now = Date.now() / 1000;
    const r = await h.app.inject({
      method: 'GET',
      url: `/query_range?query=up&start=${now - 10}&end=${now}&step=1`,
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(r.json().data.resultType).toBe('matrix');
    const bad = await h.app.inject({
      method: 'GET',
      url: '/query?query=up%7B',
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().status).toBe('error');
  });

  it('an alert posted to Alertmanager comes back through its webhook into the alert list', async () => {
    const client = new AlertmanagerClient({
      url: amUrl,
      timeoutMs: 5000,
      resendValidityMs: 60_000,
      externalUrl: monitoringUrl,
    });
    const now = Date.now();
    await client.post(
      [
        {
          fingerprint: '0000000000000000',
          ruleId: 'rul_probe',
          labels: { alertname: 'IntegrationProbe', service: 'demo-service', severity: 'info' },
          annotations: { summary: 'probe' },
          state: 'firing',
          value: 1,
          activeAt: now,
          firedAt: now,
          resolvedAt: null,
          lastEvalAt: now,
          acknowledgedBy: null,
          acknowledgedAt: null,
        },
      ],
      now,
    );
    const alert = await waitFor('the probe alert to come back from Alertmanager', 30_000, async () => {
      const res = await h.app.inject({
        method: 'GET',
        url: '/alerts',
        headers: { authorization: `Bearer ${viewer}` },
      });
      return (res.json().alerts as Array<{ alertname: string; source: string; state: string }>).find(
        (a) => a.alertname === 'IntegrationProbe',
      );
    });
    expect(alert).toMatchObject({ source: 'alertmanager', state: 'firing' });
  }, 40_000);
});
