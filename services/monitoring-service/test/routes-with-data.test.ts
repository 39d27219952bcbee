import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestExposition } from '../src/services/metrics/ingest.js';
import { buildHarness, type Harness, testClock } from './helpers/harness.js';

/**
 * Every read route answered over real data: series that match, alerts that fire, silences,
 * history. Response serialisation only runs on non-empty answers, so a schema the serialiser
 * cannot render (GET /series once answered 500 on every match) shows up only here.
 */
const clock = testClock();
let h: Harness;
let admin: string;

function exposition(i: number): string {
  const ok = 90 * i;
  const bad = 10 * i;
  return [
    `http_requests_total{method="GET",route="/x",status_code="200"} ${ok}`,
    `http_requests_total{method="GET",route="/x",status_code="500"} ${bad}`,
    `http_request_duration_seconds_bucket{method="GET",route="/x",le="0.1"} ${(ok + bad) * 0.5}`,
    `http_request_duration_seconds_bucket{method="GET",route="/x",le="+Inf"} ${ok + bad}`,
    'nodejs_eventloop_lag_seconds 0.02',
    'process_resident_memory_bytes 250000000',
    `odd_values{kind="nan"} NaN`,
    `odd_values{kind="inf"} +Inf`,
  ].join('\n');
}

beforeAll(async () => {
  h = await buildHarness({ services: { 'api-service': ['http://127.0.0.1:9'] }, now: clock.now });
  admin = await h.token(['admin']);
  for (let i = 1; i <= 30; i++) {
    clock.advance(15_000);
    ingestExposition(
      h.runtime.store,
      'api',
      { service: 'api-service', instance: '127.0.0.1:9' },
      exposition(i),
      clock.now(),
      [['up', i > 25 ? 0 : 1]],
    );
    await h.runtime.alerts.evaluate();
  }
  const silence = await h.app.inject({
    method: 'POST',
    url: '/silences',
    headers: { authorization: `Bearer ${admin}` },
    payload: { matchers: ['alertname="HighErrorRatio"'], duration: '1h', comment: 'known' },
  });
  expect(silence.statusCode).toBe(201);
});
afterAll(() => h?.close());

const get = (url: string) =>
  h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${admin}` } });

describe('read routes over real data', () => {
  const at = () => new Date(clock.now()).toISOString();
  const before = () => new Date(clock.now() - 300_000).toISOString();
  const urls = (): Record<string, string> => ({
    '/signals': '/signals',
    '/signals/:service/:signal': '/signals/api-service/error_ratio?window=10m&step=1m',
    '/services': '/services',
    '/series': `/series?match=${encodeURIComponent('http_requests_total{status_code=~"5.."}')}`,
    '/rules': '/rules',
    '/rules/:id': '/rules/rul_builtinServiceDown',
    '/rules/export': '/rules/export',
    '/alerts': '/alerts',
    '/alerts/history': '/alerts/history',
    '/silences': '/silences',
    '/prometheus/targets': '/prometheus/targets',
    '/series#range': `/series?match=odd_values&start=${before()}&end=${at()}`,
  });

  it('covers every guarded GET route (a new route must be added here)', () => {
    const covered = new Set(Object.keys(urls()).map((u) => u.split('#')[0]));
    const gets = h.app.guardedRoutes.filter((r) => r.method === 'GET').map((r) => r.url);
    // PromQL routes are tested against real data in promql-api.test.ts, the trace routes over
    // real OTLP exports in trace-store.test.ts, the receivers over real deliveries in receivers.test.ts.
    const elsewhere = new Set([
      '/query',
      '/query_range',
      '/traces',
      '/traces/:traceId',
      '/notifications/receivers',
    ]);
    expect(gets.filter((u) => !covered.has(u) && !elsewhere.has(u))).toEqual([]);
  });

  // URLs are built inside the test: the range ones depend on the clock beforeAll moved.
  it.each(Object.keys(urls()))('%s answers 200 with data', async (route) => {
    const res = await get(urls()[route]!);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body.length).toBeGreaterThan(20);
  });

  it('GET /series returns matching series with points, Inf as null', async () => {
    const instant = (
      await get(`/series?match=${encodeURIComponent('http_requests_total{status_code="500"}')}`)
    ).json();
    expect(instant.series).toHaveLength(1);
    expect(instant.series[0].labels).toMatchObject({
      __name__: 'http_requests_total',
      service: 'api-service',
    });
    expect(instant.series[0].points).toEqual([[clock.now() / 1000, 300]]);
    const range = (await get(`/series?match=odd_values&start=${before()}&end=${at()}`)).json();
    // A NaN sample is the store's staleness marker (as in Prometheus): that series reads as absent.
    expect(range.series.map((s: { labels: { kind: string } }) => s.labels.kind)).toEqual(['inf']);
    for (const s of range.series) {
      expect(s.points.length).toBe(21);
      for (const [, v] of s.points) expect(v).toBeNull();
    }
  });

  it('lists firing, pending and silenced alerts and their history', async () => {
    const alerts = (await get('/alerts')).json().alerts as Array<{ alertname: string; silencedBy: string[] }>;
    const names = alerts.map((a) => a.alertname);
    expect(names).toContain('HighErrorRatio');
    expect(names).toContain('ServiceDown');
    expect(alerts.find((a) => a.alertname === 'HighErrorRatio')!.silencedBy).toHaveLength(1);
    expect((await get('/alerts/history')).json().entries.length).toBeGreaterThan(0);
    const first = await get('/alerts/history?limit=1');
    const total = Number(first.headers['x-total-count']);
    expect(total).toBeGreaterThan(1);
    expect(first.headers['x-next-offset']).toBe('1');
    const last = await get(`/alerts/history?limit=1&offset=${total - 1}`);
    expect(last.json().entries).toHaveLength(1);
    expect(last.headers['x-next-offset']).toBeUndefined();
    expect(last.json().entries[0].id).not.toBe(first.json().entries[0].id);
  });
});
