import { describe, expect, it } from 'vitest';
import { points, storeWith } from '../../../test/helpers/series-fixture.js';
import { PromQLEvaluator } from './evaluate.js';
import { parsePromQL } from './parse.js';
import { PromQLExecutionError, type Sample } from './values.js';

// Counters every 15 s from 0 to 600 s: service a code 200 grows 10 per sample, code 500 by 1;
// service b code 200 by 5. A latency histogram for a, a gauge with a gap.
const T = 600_000;
const { query } = storeWith([
  { labels: { __name__: 'reqs', service: 'a', code: '200' }, points: points(0, T, 15_000, (i) => 10 * i) },
  { labels: { __name__: 'reqs', service: 'a', code: '500' }, points: points(0, T, 15_000, (i) => i) },
  { labels: { __name__: 'reqs', service: 'b', code: '200' }, points: points(0, T, 15_000, (i) => 5 * i) },
  {
    labels: { __name__: 'reqs_copy', service: 'b', code: '200' },
    points: points(0, T, 15_000, (i) => 5 * i),
  },
  ...[
    ['0.1', 5],
    ['0.5', 8],
    ['+Inf', 10],
  ].map(([le, per]) => ({
    labels: { __name__: 'lat_bucket', service: 'a', le: String(le) },
    points: points(0, T, 15_000, (i) => Number(per) * i),
  })),
  {
    labels: { __name__: 'temp', room: 'x' },
    points: points(0, T, 60_000, (i) => [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5][i]!),
  },
  {
    labels: { __name__: 'resets', job: 'r' },
    points: [
      [0, 5],
      [15_000, 10],
      [30_000, 2],
      [45_000, 6],
    ],
  },
]);
const engine = new PromQLEvaluator(query);

function run(q: string, at = T): Record<string, number> | number {
  const v = engine.evaluate(parsePromQL(q), at);
  if (v.type === 'scalar') return v.value;
  return Object.fromEntries(v.samples.map((s: Sample) => [labelText(s.labels), s.value]));
}

function labelText(labels: Readonly<Record<string, string>>): string {
  return `{${Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k]}"`)
    .join(',')}}`;
}

describe('PromQLEvaluator', () => {
  it('selects by every matcher type, fully anchored, and looks back five minutes', () => {
    expect(run('reqs{service="a",code!="500"}')).toEqual({ '{__name__="reqs",code="200",service="a"}': 400 });
    expect(Object.keys(run('reqs{code=~"5.."}') as object)).toEqual([
      '{__name__="reqs",code="500",service="a"}',
    ]);
    expect(run('reqs{code=~"5"}')).toEqual({});
    expect(Object.keys(run('reqs{service!~"a|c"}') as object)).toEqual([
      '{__name__="reqs",code="200",service="b"}',
    ]);
    expect(run('reqs{service="b"}', T + 240_000)).toEqual({
      '{__name__="reqs",code="200",service="b"}': 200,
    });
    expect(run('reqs{service="b"}', T + 301_000)).toEqual({});
    expect(run('reqs{service="b"} offset 5m')).toEqual({ '{__name__="reqs",code="200",service="b"}': 100 });
  });

  it("computes rate, increase, irate and delta with Prometheus' extrapolation", () => {
    // (540 s, 600 s]: samples at 555..600, extrapolated to the window start (15 s < 1.1 × 15 s).
    expect(run('rate(reqs{service="a",code="200"}[1m])')).toEqual({ '{code="200",service="a"}': 10 / 15 });
    expect(run('increase(reqs{service="b"}[1m])')).toEqual({ '{code="200",service="b"}': 20 });
    expect(run('irate(reqs{service="b"}[1m])')).toEqual({ '{code="200",service="b"}': 5 / 15 });
    // A counter reset: 5→10, reset to 2, 2→6 is 5 + 2 + 4 = 11 over 45 s.
    expect(run('increase(resets[1m])', 45_000)).toEqual({ '{job="r"}': 11 * (60 / 45) });
    expect(run('resets(resets[1m])', 45_000)).toEqual({ '{job="r"}': 1 });
    expect(run('delta(temp[3m])', 180_000)).toEqual({ '{room="x"}': (1 - 1) * (180 / 120) });
    expect(run('rate(reqs{service="a",code="200"}[1m] offset 1m)')).toEqual({
      '{code="200",service="a"}': 10 / 15,
    });
  });

  it('aggregates over time, within the left-open window', () => {
    // (300 s, 600 s] holds minutes 6..10: 9, 2, 6, 5, 3... and 5 at 600 s.
    expect(run('avg_over_time(temp[5m])')).toEqual({ '{room="x"}': (2 + 6 + 5 + 3 + 5) / 5 });
    expect(run('max_over_time(temp[5m])')).toEqual({ '{room="x"}': 6 });
    expect(run('min_over_time(temp[5m])')).toEqual({ '{room="x"}': 2 });
    expect(run('count_over_time(temp[5m])')).toEqual({ '{room="x"}': 5 });
    expect(run('sum_over_time(temp[5m])')).toEqual({ '{room="x"}': 21 });
    expect(run('last_over_time(temp[5m])')).toEqual({ '{__name__="temp",room="x"}': 5 });
    expect(run('quantile_over_time(0.5, temp[5m])')).toEqual({ '{room="x"}': 5 });
    expect(run('changes(temp[5m])')).toEqual({ '{room="x"}': 4 });
    expect((run('stddev_over_time(temp[5m])') as Record<string, number>)['{room="x"}']).toBeCloseTo(
      Math.sqrt(((2 - 4.2) ** 2 + (6 - 4.2) ** 2 + (5 - 4.2) ** 2 + (3 - 4.2) ** 2 + (5 - 4.2) ** 2) / 5),
      12,
    );
  });

  it('aggregates by and without labels', () => {
    expect(run('sum by (service) (rate(reqs[1m]))')).toEqual({
      '{service="a"}': 11 / 15,
      '{service="b"}': 5 / 15,
    });
    expect(run('sum without (code) (reqs)')).toEqual({ '{service="a"}': 440, '{service="b"}': 200 });
    expect(run('count(reqs)')).toEqual({ '{}': 3 });
    expect(run('avg(reqs)')).toEqual({ '{}': (400 + 40 + 200) / 3 });
    expect(run('max by (code) (reqs)')).toEqual({ '{code="200"}': 400, '{code="500"}': 40 });
    expect(run('min(reqs)')).toEqual({ '{}': 40 });
    expect(run('topk(1, reqs)')).toEqual({ '{__name__="reqs",code="200",service="a"}': 400 });
    expect(run('bottomk by (service) (1, reqs)')).toEqual({
      '{__name__="reqs",code="500",service="a"}': 40,
      '{__name__="reqs",code="200",service="b"}': 200,
    });
    expect(run('quantile(0.5, reqs)')).toEqual({ '{}': 200 });
    expect(run('group by (service) (reqs)')).toEqual({ '{service="a"}': 1, '{service="b"}': 1 });
  });

  it('shares a subexpression between expressions of one instant until the store takes a sample', () => {
    const fixture = storeWith([
      { labels: { __name__: 'hits', job: 'j' }, points: points(0, 60_000, 15_000, (i) => i) },
    ]);
    const shared = new PromQLEvaluator(fixture.query);
    const at = 90_000;
    const sum = (q: string) => {
      const v = shared.evaluate(parsePromQL(q), at);
      return v.type === 'vector' ? v.samples.map((s) => s.value) : [];
    };
    expect(sum('sum by (job) (max_over_time(hits[2m]))')).toEqual([4]);
    expect(sum('sum by (job) (max_over_time(hits[2m])) > 1')).toEqual([4]);
    // A later scrape inside the window changes what the same expression reads at that instant.
    const app = fixture.store.begin('fixture-0', 75_000);
    app.addCached('s', 9);
    app.commit();
    expect(sum('sum by (job) (max_over_time(hits[2m]))')).toEqual([9]);
  });

  it('does arithmetic and comparisons with bool, between scalars and vectors', () => {
    expect(run('1 + 2 * 3 ^ 2')).toBe(19);
    expect(run('2 > bool 1')).toBe(1);
    expect(run('reqs{service="b"} * 2')).toEqual({ '{code="200",service="b"}': 400 });
    expect(run('reqs > 300')).toEqual({ '{__name__="reqs",code="200",service="a"}': 400 });
    expect(run('500 > reqs{service="a"}')).toEqual({
      '{__name__="reqs",code="200",service="a"}': 400,
      '{__name__="reqs",code="500",service="a"}': 40,
    });
    expect(run('reqs{service="b"} > bool 300')).toEqual({ '{code="200",service="b"}': 0 });
    expect(run('-reqs{service="b"}')).toEqual({ '{code="200",service="b"}': -200 });
  });

  it('matches vectors on and ignoring labels, one-to-one and with group_left/group_right', () => {
    const errorRatio = 'sum by (service) (rate(reqs{code=~"5.."}[1m])) / sum by (service) (rate(reqs[1m]))';
    expect(run(errorRatio)).toEqual({ '{service="a"}': 1 / 11 });
    expect(run(`${errorRatio} > 0.05`)).toEqual({ '{service="a"}': 1 / 11 });
    expect(run(`${errorRatio} > 0.5`)).toEqual({});
    expect(run('reqs{code="500"} / ignoring(code) reqs{code="200"}')).toEqual({ '{service="a"}': 0.1 });
    expect(run('reqs / on(service) group_left sum by (service) (reqs)')).toEqual({
      '{code="200",service="a"}': 400 / 440,
      '{code="500",service="a"}': 40 / 440,
      '{code="200",service="b"}': 1,
    });
    expect(run('sum by (service) (reqs) - on(service) group_right reqs{service="a"}')).toEqual({
      '{code="200",service="a"}': 40,
      '{code="500",service="a"}': 400,
    });
    expect(run('reqs{service="a"} and on(code) reqs{service="b"}')).toEqual({
      '{__name__="reqs",code="200",service="a"}': 400,
    });
    expect(run('reqs{service="a"} unless on(code) reqs{service="b"}')).toEqual({
      '{__name__="reqs",code="500",service="a"}': 40,
    });
    expect(Object.keys(run('reqs{code="500"} or reqs{service="b"}') as object)).toHaveLength(2);
  });

  it('refuses ambiguous matches as Prometheus does', () => {
    expect(() => run('reqs / on(service) reqs')).toThrow(PromQLExecutionError);
    expect(() => run('reqs / on(service) reqs')).toThrow(/many-to-many matching not allowed/);
    expect(() => run('reqs / on(service) group_left sum by (service, code) (reqs)')).toThrow(
      /duplicate series/,
    );
    expect(() =>
      run('{__name__=~"reqs|reqs_copy",service="b"} + on(service) group_left sum by (service) (reqs)'),
    ).toThrow(/grouping labels must ensure unique/);
    // Dropping the name of two series leaves one label set twice.
    expect(() => run('rate({__name__=~"reqs|reqs_copy",service="b"}[1m])')).toThrow(/same labelset/);
    expect(Object.keys(run('{__name__=~"reqs|reqs_copy",service="b"}') as object)).toHaveLength(2);
  });

  it('computes histogram_quantile over rated buckets', () => {
    // Per 15 s: 5 ≤ 0.1 s, 8 ≤ 0.5 s, 10 in all: the median is at rank 5 (the 0.1 s bound),
    // the 0.9 quantile interpolates in (0.5, +Inf] and answers the last finite bound.
    expect(run('histogram_quantile(0.5, sum by (le) (rate(lat_bucket[1m])))')).toEqual({ '{}': 0.1 });
    expect(run('histogram_quantile(0.65, sum by (service, le) (rate(lat_bucket[1m])))')).toEqual({
      '{service="a"}': 0.1 + (0.5 - 0.1) * ((6.5 - 5) / 3),
    });
    expect(run('histogram_quantile(0.9, rate(lat_bucket[1m]))')).toEqual({ '{service="a"}': 0.5 });
  });

  it('answers absent, scalar, vector, time and the math functions', () => {
    expect(run('absent(reqs)')).toEqual({});
    expect(run('absent(nothing{job="api",instance=~"x.*"})')).toEqual({ '{job="api"}': 1 });
    expect(run('absent_over_time(nothing{job="api"}[5m])')).toEqual({ '{job="api"}': 1 });
    expect(run('scalar(reqs{service="b"})')).toBe(200);
    expect(run('scalar(reqs)')).toBeNaN();
    expect(run('vector(3)')).toEqual({ '{}': 3 });
    expect(run('time()')).toBe(600);
    expect(run('sqrt(reqs{service="b"})')).toEqual({ '{code="200",service="b"}': Math.sqrt(200) });
    expect(run('clamp_max(reqs{service="a"}, 100)')).toEqual({
      '{code="200",service="a"}': 100,
      '{code="500",service="a"}': 40,
    });
    expect(run('round(temp / 4)')).toEqual({ '{room="x"}': 1 });
  });
});
