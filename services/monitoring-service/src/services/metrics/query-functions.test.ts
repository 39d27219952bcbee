import { describe, expect, it } from 'vitest';
import { ingestExposition } from './ingest.js';
import { parseSelector } from './matchers.js';
import { QueryEngine } from './query-engine.js';
import {
  bucketQuantile,
  deltaInput,
  extrapolatedDelta,
  histogramQuantile,
  sumBy,
} from './query-functions.js';
import { SampleStore } from './sample-store.js';

describe('extrapolatedDelta', () => {
  it('gives the per-second rate of a steady counter', () => {
    // 10 per 15 s, samples exactly on the window: (0, 60] with samples at 15..60.
    const ts = [15_000, 30_000, 45_000, 60_000];
    const vs = [10, 20, 30, 40];
    expect(extrapolatedDelta(deltaInput(ts, vs), 0, 60_000, true, true)).toBeCloseTo(10 / 15, 10);
  });

  it('corrects counter resets', () => {
    const ts = [15_000, 30_000, 45_000, 60_000];
    const vs = [10, 20, 5, 15]; // reset after 20: real increase 10 + 5 + 10
    expect(extrapolatedDelta(deltaInput(ts, vs), 0, 60_000, true, false)).toBeCloseTo(25 * (60 / 45), 10);
  });

  it('does not extrapolate a counter below zero', () => {
    // The counter started at 0 shortly before the first sample: extrapolation stops there.
    const ts = [30_000, 45_000, 60_000];
    const vs = [1, 11, 21];
    const v = extrapolatedDelta(deltaInput(ts, vs), 0, 60_000, true, false)!;
    expect(v).toBeCloseTo(20 * ((30 + 1.5) / 30), 10);
  });

  it('needs two samples', () => {
    expect(extrapolatedDelta(deltaInput([1], [1]), 0, 10, true, true)).toBeUndefined();
  });
});

describe('bucketQuantile', () => {
  const buckets = [
    { upperBound: 0.1, count: 50 },
    { upperBound: 0.5, count: 90 },
    { upperBound: 1, count: 100 },
    { upperBound: Infinity, count: 100 },
  ];
  it('interpolates linearly inside the bucket', () => {
    expect(bucketQuantile(0.5, buckets)).toBeCloseTo(0.1, 10);
    expect(bucketQuantile(0.7, buckets)).toBeCloseTo(0.1 + 0.4 * (20 / 40), 10);
    expect(bucketQuantile(0.25, buckets)).toBeCloseTo(0.05, 10);
  });
  it('returns the highest finite bound when the rank falls in +Inf', () => {
    expect(bucketQuantile(0.99, [...buckets.slice(0, 3), { upperBound: Infinity, count: 200 }])).toBe(1);
  });
  it('follows the edge rules: q out of range, no +Inf bucket, no observations', () => {
    expect(bucketQuantile(-1, buckets)).toBe(-Infinity);
    expect(bucketQuantile(2, buckets)).toBe(Infinity);
    expect(bucketQuantile(0.5, buckets.slice(0, 3))).toBeNaN();
    expect(
      bucketQuantile(
        0.5,
        buckets.map((b) => ({ ...b, count: 0 })),
      ),
    ).toBeNaN();
  });
  it('repairs non-monotonic bucket counts', () => {
    const broken = [
      { upperBound: 1, count: 10 },
      { upperBound: 2, count: 8 },
      { upperBound: Infinity, count: 10 },
    ];
    expect(bucketQuantile(0.5, broken)).toBeCloseTo(0.5, 10);
  });
});

describe('sumBy and histogramQuantile', () => {
  it('sums by the named labels only', () => {
    const v = sumBy(
      [
        { labels: { a: '1', b: 'x' }, value: 2 },
        { labels: { a: '1', b: 'y' }, value: 3 },
        { labels: { a: '2', b: 'y' }, value: 4 },
      ],
      ['a'],
    );
    expect(v).toEqual([
      { labels: { a: '1' }, value: 5 },
      { labels: { a: '2' }, value: 4 },
    ]);
  });
  it('computes one quantile per label group', () => {
    const v = histogramQuantile(0.5, [
      { labels: { le: '1', s: 'a' }, value: 10 },
      { labels: { le: '+Inf', s: 'a' }, value: 10 },
      { labels: { le: '1', s: 'b' }, value: 0 },
      { labels: { le: '2', s: 'b' }, value: 10 },
      { labels: { le: '+Inf', s: 'b' }, value: 10 },
    ]);
    expect(v.map((x) => [x.labels['s'], x.value])).toEqual([
      ['a', 0.5],
      ['b', 1.5],
    ]);
  });
});

describe('QueryEngine', () => {
  const store = new SampleStore({ capacity: 100, maxSeries: 100, retentionMs: 3_600_000 });
  const engine = new QueryEngine(store, { lookbackMs: 300_000 });
  for (let i = 1; i <= 8; i++) {
    const text = `c{code="200"} ${i * 30}\nc{code="500"} ${i * 15}\ng ${i}\n`;
    ingestExposition(store, 't', { service: 's', instance: 'i' }, text, i * 15_000);
  }
  it('computes rate per series over a window', () => {
    const r = engine.rate(parseSelector('c'), 60_000, 120_000);
    expect(r.map((x) => [x.labels['code'], x.value])).toEqual([
      ['200', 2],
      ['500', 1],
    ]);
  });
  it('applies regex and negative matchers', () => {
    expect(engine.instant(parseSelector('c{code=~"5.."}'), 120_000).map((x) => x.value)).toEqual([120]);
    expect(engine.instant(parseSelector('c{code!~"5.."}'), 120_000).map((x) => x.value)).toEqual([240]);
    expect(engine.instant(parseSelector('c{code!="200"}'), 120_000).map((x) => x.value)).toEqual([120]);
  });
  it('computes *_over_time', () => {
    expect(engine.avgOverTime(parseSelector('g'), 60_000, 120_000)[0]!.value).toBe(6.5);
    expect(engine.windowFunction('max_over_time', parseSelector('g'), 60_000, 120_000)[0]!.value).toBe(8);
  });
  it('returns nothing past the lookback', () => {
    expect(engine.instant(parseSelector('g'), 120_000 + 400_000)).toEqual([]);
  });
});
