import { describe, expect, it } from 'vitest';
import { ingestExposition } from '../metrics/ingest.js';
import { parseSelector } from '../metrics/matchers.js';
import { QueryEngine } from '../metrics/query-engine.js';
import { SampleStore } from '../metrics/sample-store.js';
import { LocalSignals } from './local-signals.js';
import { seriesQuery, signalQueries } from './promql.js';

const budget = { eventLoopLagSeconds: 0.1, residentMemoryBytes: 1_000_000_000 };

/** One scrape of a service taking 10 req/s, 1 of them a 500, latency spread over buckets. */
function exposition(i: number): string {
  const ok = 9 * 15 * i;
  const bad = 15 * i;
  const n = ok + bad;
  return [
    `http_requests_total{service="api",method="GET",route="/x",status_code="200"} ${ok}`,
    `http_requests_total{service="api",method="GET",route="/x",status_code="500"} ${bad}`,
    `http_request_duration_seconds_bucket{service="api",method="GET",route="/x",le="0.1"} ${n * 0.5}`,
    `http_request_duration_seconds_bucket{service="api",method="GET",route="/x",le="0.5"} ${n * 0.9}`,
    `http_request_duration_seconds_bucket{service="api",method="GET",route="/x",le="1"} ${n}`,
    `http_request_duration_seconds_bucket{service="api",method="GET",route="/x",le="+Inf"} ${n}`,
    'nodejs_eventloop_lag_seconds 0.02',
    'process_resident_memory_bytes 250000000',
  ].join('\n');
}

describe('LocalSignals', () => {
  const store = new SampleStore({ capacity: 100, maxSeries: 1000, retentionMs: 3_600_000 });
  const target = { service: 'api', instance: '127.0.0.1:1' };
  const down = { service: 'api', instance: '127.0.0.1:2' };
  for (let i = 1; i <= 21; i++) {
    ingestExposition(store, 'a', target, exposition(i), i * 15_000, [['up', 1]]);
    ingestExposition(store, 'b', down, '', i * 15_000, [['up', i > 11 ? 0 : 1]]);
  }
  const signals = new LocalSignals(new QueryEngine(store, { lookbackMs: 300_000 }), budget);
  const at = 21 * 15_000;
  const w = 300_000;

  it('computes request rate and error ratio', () => {
    expect(signals.evaluate('api', 'request_rate', w, at)).toBeCloseTo(10, 6);
    expect(signals.evaluate('api', 'error_ratio', w, at)).toBeCloseTo(0.1, 6);
  });

  it('computes latency quantiles from the histogram', () => {
    expect(signals.evaluate('api', 'latency_p50', w, at)).toBeCloseTo(0.1, 6);
    expect(signals.evaluate('api', 'latency_p95', w, at)).toBeCloseTo(0.75, 6);
    expect(signals.evaluate('api', 'latency_p99', w, at)).toBeCloseTo(0.95, 6);
  });

  it('computes availability over the window across instances', () => {
    // Instance a is always up; b was down for the last 10 of the 20 scrapes in the window.
    expect(signals.evaluate('api', 'availability', w, at)).toBeCloseTo((1 + 10 / 20) / 2, 6);
  });

  it('computes saturation as the worse of lag and memory against their budgets', () => {
    expect(signals.evaluate('api', 'saturation', w, at)).toBeCloseTo(0.25, 6);
  });

  it('gives null for a service it knows nothing about', () => {
    expect(signals.all('nope', w, at)).toEqual({
      request_rate: null,
      error_ratio: null,
      latency_p50: null,
      latency_p95: null,
      latency_p99: null,
      availability: null,
      saturation: null,
    });
  });
});

describe('signalQueries', () => {
  it('writes the PromQL of each signal', () => {
    expect(signalQueries('api', 'latency_p99', 300_000, budget)).toEqual([
      'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{service="api"}[5m])))',
    ]);
    expect(signalQueries('a"b', 'saturation', 60_000, budget)).toEqual([
      'max(nodejs_eventloop_lag_seconds{service="a\\"b"}) / 0.1',
      'max(process_resident_memory_bytes{service="a\\"b"}) / 1000000000',
    ]);
  });
});

describe('seriesQuery', () => {
  it('writes a series rule expression as PromQL with the same meaning', () => {
    expect(seriesQuery({ matchers: parseSelector('up{service="a\\"b"}'), fn: 'value', windowMs: 0 })).toBe(
      '{__name__="up",service="a\\"b"}',
    );
    expect(
      seriesQuery({
        matchers: parseSelector('http_requests_total{status_code=~"5.."}'),
        fn: 'rate',
        windowMs: 90_000,
        sumBy: ['service', 'route'],
      }),
    ).toBe('sum by (service, route) (rate({__name__="http_requests_total",status_code=~"5.."}[1m30s]))');
    expect(
      seriesQuery({
        matchers: parseSelector('{__name__="x",job!="a"}'),
        fn: 'max_over_time',
        windowMs: 600_000,
      }),
    ).toBe('max_over_time({__name__="x",job!="a"}[10m])');
  });
});
