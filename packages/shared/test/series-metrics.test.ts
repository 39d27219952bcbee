import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { SeriesCounter, SeriesHistogram } from '../src/service/series-metrics.js';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function pair() {
  const plain = new Registry();
  const series = new Registry();
  for (const r of [plain, series]) r.setDefaultLabels({ service: 'gw' });
  const config = (registry: Registry) => ({
    name: 'x_requests_total',
    help: 'Requests',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
  });
  const hconfig = (registry: Registry) => ({
    name: 'x_duration_seconds',
    help: 'Duration',
    labelNames: ['method', 'route'] as const,
    buckets: BUCKETS,
    registers: [registry],
  });
  return {
    plain: { registry: plain, c: new Counter(config(plain)), h: new Histogram(hconfig(plain)) },
    series: {
      registry: series,
      c: new SeriesCounter(config(series)),
      h: new SeriesHistogram(hconfig(series)),
    },
  };
}

describe('SeriesCounter and SeriesHistogram', () => {
  it('export the same text as prom-client for the same observations, through either API', async () => {
    const { plain, series } = pair();
    const held = {
      c: series.c.series({ method: 'GET', route: '/a', status_code: '200' }),
      h: series.h.series({ method: 'GET', route: '/a' }),
    };
    // Values on bucket bounds, between them, above the last, and zero.
    const values = [0, 0.001, 0.0011, 0.004, 0.01, 0.3, 1, 9.99, 10, 42];
    for (const v of values) {
      plain.c.inc({ method: 'GET', route: '/a', status_code: '200' });
      plain.h.observe({ method: 'GET', route: '/a' }, v);
      held.c.inc();
      held.h.observe(v);
      for (const m of [plain, series]) {
        m.c.inc({ route: '/b', method: 'POST', status_code: '503' }, 2);
        m.h.observe({ route: '/b', method: 'POST' }, v * 2);
        m.c.labels('PUT', '/c', '201').inc();
        m.h.labels('PUT', '/c').observe(v / 3);
      }
    }
    expect(await series.registry.metrics()).toBe(await plain.registry.metrics());
    expect(await series.registry.getMetricsAsJSON()).toEqual(await plain.registry.getMetricsAsJSON());
    for (const m of [plain, series]) {
      m.c.remove('PUT', '/c', '201');
      m.h.remove('PUT', '/c');
    }
    expect(await series.registry.metrics()).toBe(await plain.registry.metrics());
    for (const m of [plain, series]) m.registry.resetMetrics();
    expect(await series.registry.metrics()).toBe(await plain.registry.metrics());
  });

  it('refuses what prom-client refuses', () => {
    const { series } = pair();
    expect(() => series.c.inc({ nope: 'x' } as never)).toThrow(/nope/);
    expect(() => series.c.inc({ method: 'GET' }, -1)).toThrow();
    expect(() => series.h.observe({ method: 'GET' }, Number.NaN)).toThrow();
    expect(() => new SeriesHistogram({ name: 'e', help: 'e', enableExemplars: true })).toThrow();
  });

  it('a held series costs a fraction of a prom-client call', () => {
    const { plain, series } = pair();
    const held = {
      c: series.c.series({ method: 'GET', route: '/a', status_code: '200' }),
      h: series.h.series({ method: 'GET', route: '/a' }),
    };
    const time = (f: (i: number) => void) => {
      let best = Number.POSITIVE_INFINITY;
      for (let r = 0; r < 5; r++) {
        const t0 = process.cpuUsage();
        for (let i = 0; i < 100_000; i++) f(i);
        const t = process.cpuUsage(t0);
        best = Math.min(best, ((t.user + t.system) * 1000) / 100_000);
      }
      return best;
    };
    const promClient = time((i) => {
      plain.c.inc({ method: 'GET', route: '/a', status_code: '200' });
      plain.h.observe({ method: 'GET', route: '/a' }, (i & 63) / 1000);
    });
    const held1 = time((i) => {
      held.c.inc();
      held.h.observe((i & 63) / 1000);
    });
    console.log(
      `counter inc + histogram observe: prom-client ${promClient.toFixed(0)} ns, held series ${held1.toFixed(0)} ns`,
    );
    expect(held1).toBeLessThan(promClient);
  });
});
