import { describe, expect, it } from 'vitest';
import { ingestExposition } from './ingest.js';
import { parseSelector } from './matchers.js';
import { QueryEngine } from './query-engine.js';
import { SampleStore } from './sample-store.js';

const target = { service: 'svc', instance: '127.0.0.1:1' };

function setup(capacity = 5, maxSeries = 1000) {
  const store = new SampleStore({ capacity, maxSeries, retentionMs: 3_600_000 });
  const engine = new QueryEngine(store, { lookbackMs: 300_000 });
  return { store, engine };
}

describe('SampleStore', () => {
  it('stores samples with target labels and reads them back instantly and by range', () => {
    const { store, engine } = setup();
    ingestExposition(store, 't1', target, 'm{a="1"} 10\nm{a="2"} 20\n', 1000);
    ingestExposition(store, 't1', target, 'm{a="1"} 11\nm{a="2"} 21\n', 2000);
    const now = engine.instant(parseSelector('m{a="1"}'), 2000);
    expect(now).toEqual([{ labels: { __name__: 'm', a: '1', ...target }, value: 11 }]);
    const range = engine.range(parseSelector('m'), 0, 5000);
    expect(range.map((r) => r.points)).toEqual([
      [
        [1000, 10],
        [2000, 11],
      ],
      [
        [1000, 20],
        [2000, 21],
      ],
    ]);
  });

  it('lets target labels win over exposed labels of the same name', () => {
    const { store, engine } = setup();
    ingestExposition(store, 't1', target, 'm{service="other"} 1', 1000);
    expect(engine.instant(parseSelector('m'), 1000)[0]!.labels['service']).toBe('svc');
  });

  it('keeps only `capacity` samples per series in a ring', () => {
    const { store, engine } = setup(3);
    for (let i = 1; i <= 5; i++) ingestExposition(store, 't1', target, `m ${i}`, i * 1000);
    expect(engine.range(parseSelector('m'), 0, 10_000)[0]!.points.map((p) => p[1])).toEqual([3, 4, 5]);
  });

  it('marks a series stale when a scrape misses it, and drops it after a whole ring', () => {
    const { store, engine } = setup(3);
    ingestExposition(store, 't1', target, 'a 1\nb 1', 1000);
    ingestExposition(store, 't1', target, 'a 2', 2000);
    expect(engine.instant(parseSelector('b'), 2000)).toEqual([]);
    expect(engine.instant(parseSelector('b'), 1000)).toHaveLength(1);
    ingestExposition(store, 't1', target, 'a 3', 3000);
    ingestExposition(store, 't1', target, 'a 4', 4000);
    expect(store.seriesCount).toBe(1);
    // A series that comes back after being dropped is recreated, not confused with the old one.
    ingestExposition(store, 't1', target, 'a 5\nb 9', 5000);
    expect(engine.instant(parseSelector('b'), 5000)[0]!.value).toBe(9);
  });

  it('refuses new series beyond maxSeries and counts them', () => {
    const { store } = setup(3, 2);
    const r = ingestExposition(store, 't1', target, 'a 1\nb 1\nc 1', 1000);
    expect(r).toEqual({ samples: 3, newSeries: 2, rejected: 1 });
    expect(store.rejectedSeries).toBe(1);
    expect(store.seriesCount).toBe(2);
  });

  it('shares timestamps per target and keeps values in Float64Arrays', () => {
    const { store } = setup(4);
    ingestExposition(store, 't1', target, 'a 1\nb 2', 1000);
    const group = store.groups.get('t1')!;
    expect(group.series).toHaveLength(2);
    expect(group.series[0]!.chunk[group.head]).toBeInstanceOf(Float64Array);
    expect(group.timestamps).toBeInstanceOf(Float64Array);
    expect(store.sampleCount()).toBe(2);
  });

  it('adds the scraper series up and scrape_duration_seconds even when the scrape fails', () => {
    const { store, engine } = setup();
    expect(() =>
      ingestExposition(store, 't1', target, 'bad{', 1000, [
        ['up', 0],
        ['scrape_duration_seconds', 0.01],
      ]),
    ).toThrow();
    expect(engine.instant(parseSelector('up'), 1000)[0]!.value).toBe(0);
  });

  it('drops a whole target', () => {
    const { store } = setup();
    ingestExposition(store, 't1', target, 'a 1', 1000);
    store.dropGroup('t1');
    expect(store.seriesCount).toBe(0);
  });

  it('keeps timestamps ascending when the clock steps back', () => {
    const { store, engine } = setup();
    ingestExposition(store, 't1', target, 'a 1', 5000);
    ingestExposition(store, 't1', target, 'a 2', 4000);
    expect(engine.range(parseSelector('a'), 0, 10_000)[0]!.points.map((p) => p[0])).toEqual([5000, 5001]);
  });

  it('follows a target whose series move, appear and vanish between scrapes', () => {
    const { store, engine } = setup(10);
    ingestExposition(store, 't1', target, 'a 1\nb 1\nc 1', 1000);
    ingestExposition(store, 't1', target, 'a 2\nb 2\nc 2', 2000); // in place
    ingestExposition(store, 't1', target, 'c 3\nx 3\na 3', 3000); // reordered, one new, b gone
    ingestExposition(store, 't1', target, 'c 4\nx 4\na 4', 4000);
    ingestExposition(store, 't1', target, 'c{k="v"} 5\nx 5\na 5', 5000); // c's text changes
    const last = (name: string, at: number) => engine.instant(parseSelector(name), at).map((s) => s.value);
    expect(last('a', 3000)).toEqual([3]);
    expect(last('b', 3000)).toEqual([]);
    expect(last('x', 4000)).toEqual([4]);
    expect(engine.range(parseSelector('c'), 0, 5000).map((r) => r.points.map((p) => p[1]))).toEqual([
      [1, 2, 3, 4],
      [5],
    ]);
  });

  it('still rejects a malformed line that follows a known series text', () => {
    const { store } = setup(10);
    ingestExposition(store, 't1', target, 'a 1', 1000);
    expect(() => ingestExposition(store, 't1', target, 'a x', 2000)).toThrow(/invalid value/);
    expect(() => ingestExposition(store, 't1', target, 'a 1 2 3', 3000)).toThrow(/unexpected text/);
  });

  it('finds series created, and forgets series dropped, after a selection was answered', () => {
    const { store, engine } = setup(3);
    const selector = parseSelector('m{a=~"1|2"}');
    ingestExposition(store, 't1', target, 'm{a="1"} 1', 1000);
    expect(engine.instant(selector, 1000).map((s) => s.labels['a'])).toEqual(['1']);
    ingestExposition(store, 't1', target, 'm{a="1"} 2\nm{a="2"} 2', 2000);
    expect(engine.instant(selector, 2000).map((s) => s.labels['a'])).toEqual(['1', '2']);
    // The same question in a new matcher list, as another rule would ask it.
    expect(engine.instant(parseSelector('m{a=~"1|2"}'), 2000)).toHaveLength(2);
    store.dropGroup('t1');
    expect(engine.instant(selector, 2000)).toEqual([]);
    expect(engine.select(selector)).toEqual([]);
  });

  it('answers a range function again once a scrape lands, at the same instant', () => {
    const { store, engine } = setup(10);
    const selector = parseSelector('c');
    ingestExposition(store, 't1', target, 'c 0', 1000);
    ingestExposition(store, 't1', target, 'c 10', 11_000);
    const first = engine.windowFunction('increase', selector, 30_000, 21_000);
    expect(engine.windowFunction('increase', parseSelector('c'), 30_000, 21_000)).toBe(first);
    ingestExposition(store, 't1', target, 'c 30', 21_000);
    const after = engine.windowFunction('increase', selector, 30_000, 21_000);
    expect(after).not.toBe(first);
    expect(after[0]!.value).toBeGreaterThan(first[0]!.value);
    expect(engine.windowFunction('sum_over_time', selector, 30_000, 21_000)[0]!.value).toBe(40);
  });
});
