import { detach, emptyLabels, type Labels } from './labels.js';

/**
 * Stored series keep their labels as one flat array `[name1, value1, name2, value2, ...]`
 * sorted by name, with interned strings: a few words per label instead of an object per
 * series, which keeps 100,000 series cheap for memory and for the garbage collector.
 */
export type LabelPairs = readonly string[];

/** Sorts a flat pair array by label name, in place (insertion sort: label sets are small). */
export function sortPairs(pairs: string[]): string[] {
  for (let i = 2; i < pairs.length; i += 2) {
    const name = pairs[i]!;
    const value = pairs[i + 1]!;
    let j = i - 2;
    while (j >= 0 && pairs[j]! > name) {
      pairs[j + 2] = pairs[j]!;
      pairs[j + 3] = pairs[j + 1]!;
      j -= 2;
    }
    pairs[j + 2] = name;
    pairs[j + 3] = value;
  }
  return pairs;
}

export function pairValue(pairs: LabelPairs, name: string): string | undefined {
  for (let i = 0; i < pairs.length; i += 2) if (pairs[i] === name) return pairs[i + 1];
  return undefined;
}

export function pairsToLabels(pairs: LabelPairs, metricName?: string): Labels {
  const labels = emptyLabels();
  if (metricName !== undefined) labels['__name__'] = metricName;
  for (let i = 0; i < pairs.length; i += 2) labels[pairs[i]!] = pairs[i + 1]!;
  return labels;
}

export function pairsEqual(a: LabelPairs, b: LabelPairs): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function fnv(hash: number, s: string): number {
  let h = hash;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return Math.imul(h ^ 0xff, 16777619);
}

/** A 32-bit FNV-1a hash of a series identity; equal identities hash equal. */
export function seriesHash(name: string, pairs: LabelPairs): number {
  let h = fnv(2166136261, name);
  for (let i = 0; i < pairs.length; i++) h = fnv(h, pairs[i]!);
  return h >>> 0;
}

/** A string pool so that repeated label names and values are stored once. */
export class InternPool {
  private readonly pool = new Map<string, string>();

  constructor(private readonly maxEntries = 1_000_000) {}

  intern(s: string): string {
    const found = this.pool.get(s);
    if (found !== undefined) return found;
    // Copy so the pooled string does not pin the scrape body it was sliced from.
    const own = detach(s);
    // A pool is only a saving; past its bound, strings are kept unpooled.
    if (this.pool.size < this.maxEntries) this.pool.set(own, own);
    return own;
  }
}
