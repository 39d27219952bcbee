import type { StoredSeries } from './scrape-group.js';

/**
 * An inverted index: label name → label value → series. A query starts from the smallest
 * list among its equality matchers instead of scanning every series of a metric, which is
 * what keeps 1,000 rules over 100,000 series within a few tens of milliseconds.
 * Lists are arrays, not sets: appending is what ingestion does 700,000 times for 100,000 new
 * series, and removal happens in batches (a stale target, a dropped group).
 */
export class Postings {
  private readonly index = new Map<string, Map<string, StoredSeries[]>>();
  /** Bumped whenever a series is added or removed: what a selection found stays true until then. */
  generation = 0;

  private list(name: string, value: string): StoredSeries[] {
    let values = this.index.get(name);
    if (!values) {
      values = new Map();
      this.index.set(name, values);
    }
    let list = values.get(value);
    if (!list) {
      list = [];
      values.set(value, list);
    }
    return list;
  }

  add(s: StoredSeries): void {
    this.generation++;
    this.list('__name__', s.name).push(s);
    for (let i = 0; i < s.pairs.length; i += 2) this.list(s.pairs[i]!, s.pairs[i + 1]!).push(s);
  }

  /** Removes a batch of series: each affected list is filtered once. */
  removeMany(batch: readonly StoredSeries[]): void {
    if (batch.length === 0) return;
    this.generation++;
    const gone = new Set(batch);
    const touched = new Map<string, Set<string>>();
    const touch = (name: string, value: string) => {
      let values = touched.get(name);
      if (!values) {
        values = new Set();
        touched.set(name, values);
      }
      values.add(value);
    };
    for (const s of batch) {
      touch('__name__', s.name);
      for (let i = 0; i < s.pairs.length; i += 2) touch(s.pairs[i]!, s.pairs[i + 1]!);
    }
    for (const [name, values] of touched) {
      const byValue = this.index.get(name);
      if (!byValue) continue;
      for (const value of values) {
        const list = byValue.get(value);
        if (!list) continue;
        const kept = list.filter((s) => !gone.has(s));
        if (kept.length === 0) byValue.delete(value);
        else byValue.set(value, kept);
      }
      if (byValue.size === 0) this.index.delete(name);
    }
  }

  get(name: string, value: string): readonly StoredSeries[] | undefined {
    return this.index.get(name)?.get(value);
  }

  /** Values a label takes across all series, sorted. */
  values(name: string): string[] {
    return [...(this.index.get(name)?.keys() ?? [])].sort();
  }
}
