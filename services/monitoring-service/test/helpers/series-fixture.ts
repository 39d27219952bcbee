import { sortPairs } from '../../src/services/metrics/label-pairs.js';
import { QueryEngine } from '../../src/services/metrics/query-engine.js';
import { SampleStore } from '../../src/services/metrics/sample-store.js';

export interface FixtureSeries {
  /** Labels including `__name__`. */
  labels: Record<string, string>;
  /** [timestamp ms, value], ascending. */
  points: Array<[number, number]>;
}

/**
 * A sample store holding exactly the given samples at their own timestamps: each series is
 * its own scrape group, so no series gets a staleness marker from another's timestamps.
 */
export function storeWith(
  series: readonly FixtureSeries[],
  capacity = 4096,
): { store: SampleStore; query: QueryEngine } {
  const store = new SampleStore({ capacity, maxSeries: 100_000, retentionMs: 365 * 86_400_000 });
  series.forEach((s, i) => {
    const { __name__: name, ...rest } = s.labels;
    const pairs = sortPairs(Object.entries(rest).flat());
    for (const [t, v] of s.points) {
      const app = store.begin(`fixture-${i}`, t);
      if (!app.addCached('s', v)) app.addNew('s', name!, [...pairs], v);
      app.commit();
    }
  });
  return { store, query: new QueryEngine(store, { lookbackMs: 300_000 }) };
}

/** Points every `stepMs` from `fromMs` to `toMs` inclusive, valued by `value(i)`. */
export function points(
  fromMs: number,
  toMs: number,
  stepMs: number,
  value: (i: number) => number,
): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let t = fromMs, i = 0; t <= toMs; t += stepMs, i++) out.push([t, value(i)]);
  return out;
}
