import { emptyLabels, type Labels, labelsKey } from './labels.js';
import { parseSampleValue } from './text-scanner.js';

export interface VectorSample {
  labels: Labels;
  value: number;
  /** One label's value without building the label object, when the sample can. */
  label?(name: string): string | undefined;
}

/** What the extrapolation needs of a window's samples (see SampleStore.windowStats). */
export interface DeltaInput {
  n: number;
  firstT: number;
  firstV: number;
  lastT: number;
  lastV: number;
  /** Sum of the values seen just before each counter reset. */
  resets: number;
}

/**
 * Prometheus' extrapolated rate/increase over the samples of one series in the window
 * (rangeStart, rangeEnd]. Counter resets are corrected; the result is extrapolated towards
 * the window edges the way Prometheus does, so figures match a real Prometheus closely.
 * Returns undefined with fewer than two samples.
 */
export function extrapolatedDelta(
  w: DeltaInput,
  rangeStartMs: number,
  rangeEndMs: number,
  isCounter: boolean,
  perSecond: boolean,
): number | undefined {
  if (w.n < 2) return undefined;
  const first = w.firstV;
  let result = w.lastV - first;
  if (isCounter) result += w.resets;
  let durationToStart = (w.firstT - rangeStartMs) / 1000;
  const durationToEnd = (rangeEndMs - w.lastT) / 1000;
  const sampled = (w.lastT - w.firstT) / 1000;
  if (sampled <= 0) return undefined;
  const average = sampled / (w.n - 1);
  if (isCounter && result > 0 && first >= 0) {
    // A counter cannot go below zero: do not extrapolate past the point it would be zero.
    const durationToZero = sampled * (first / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  const threshold = average * 1.1;
  let interval = sampled;
  interval += durationToStart < threshold ? durationToStart : average / 2;
  interval += durationToEnd < threshold ? durationToEnd : average / 2;
  result *= interval / sampled;
  if (perSecond) result /= (rangeEndMs - rangeStartMs) / 1000;
  return result;
}

/** Window input from plain arrays, for callers outside the store (and tests). */
export function deltaInput(ts: readonly number[], vs: readonly number[]): DeltaInput {
  let resets = 0;
  for (let i = 1; i < vs.length; i++) if (vs[i]! < vs[i - 1]!) resets += vs[i - 1]!;
  return {
    n: ts.length,
    firstT: ts[0] ?? 0,
    firstV: vs[0] ?? 0,
    lastT: ts[ts.length - 1] ?? 0,
    lastV: vs[vs.length - 1] ?? 0,
    resets,
  };
}

/**
 * The key of a sample's group `by` some labels: their values alone, as a missing label reads
 * "" (\xff cannot occur in UTF-8 text). With one label the value itself is the key: a stored
 * value is interned, so a map finds it without hashing a freshly built string (a third of the
 * time 1,000 rules spent aggregating was building and hashing one-label keys).
 */
export function groupingKey(s: VectorSample, by: readonly string[]): string {
  if (by.length === 1) return (s.label ? s.label(by[0]!) : s.labels[by[0]!]) ?? '';
  let key = '';
  for (const name of by) key += `${(s.label ? s.label(name) : s.labels[name]) ?? ''}\xff`;
  return key;
}

/**
 * `sum by (labels)`: adds samples that agree on the `by` labels.
 *
 * @example
 * sumBy([{ labels: { a: '1', b: 'x' }, value: 2 }, { labels: { a: '1', b: 'y' }, value: 3 }], ['a'])
 * // [{ labels: { a: '1' }, value: 5 }]
 */
export function sumBy(vector: readonly VectorSample[], by: readonly string[]): VectorSample[] {
  const groups = new Map<string, VectorSample>();
  for (const s of vector) {
    // Key by the values alone (\xff cannot occur in UTF-8 text); the label object is only
    // built for the first member of each group.
    const key = groupingKey(s, by);
    const g = groups.get(key);
    if (g) {
      g.value += s.value;
      continue;
    }
    const labels = emptyLabels();
    for (const name of by) {
      const v = s.label ? s.label(name) : s.labels[name];
      if (v !== undefined && v !== '') labels[name] = v;
    }
    groups.set(key, { labels, value: s.value });
  }
  return [...groups.values()];
}

interface Bucket {
  upperBound: number;
  count: number;
}

/** Quantile of one histogram's cumulative buckets, with Prometheus' linear interpolation. */
export function bucketQuantile(q: number, input: readonly Bucket[]): number {
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const buckets = [...input].sort((a, b) => a.upperBound - b.upperBound);
  if (buckets.length < 2) return Number.NaN;
  if (buckets[buckets.length - 1]!.upperBound !== Number.POSITIVE_INFINITY) return Number.NaN;
  // Scrapes are not atomic and rates add float noise: force counts to be non-decreasing.
  let max = Number.NEGATIVE_INFINITY;
  const counts = buckets.map((b) => {
    max = Math.max(max, b.count);
    return max;
  });
  const observations = counts[counts.length - 1]!;
  if (!(observations > 0)) return Number.NaN;
  let rank = q * observations;
  let b = counts.findIndex((c) => c >= rank);
  if (b < 0) b = counts.length - 1;
  if (b === buckets.length - 1) return buckets[buckets.length - 2]!.upperBound;
  if (b === 0 && buckets[0]!.upperBound <= 0) return buckets[0]!.upperBound;
  let start = 0;
  const end = buckets[b]!.upperBound;
  let count = counts[b]!;
  if (b > 0) {
    start = buckets[b - 1]!.upperBound;
    count -= counts[b - 1]!;
    rank -= counts[b - 1]!;
  }
  return start + (end - start) * (rank / count);
}

/**
 * `histogram_quantile(q, vector)`: the vector holds bucket samples (with `le`); buckets are
 * grouped by all their other labels and one quantile is returned per group.
 */
export function histogramQuantile(q: number, vector: readonly VectorSample[]): VectorSample[] {
  const groups = new Map<string, { labels: Labels; buckets: Bucket[] }>();
  for (const s of vector) {
    const le = s.labels['le'];
    if (le === undefined) continue;
    const upperBound = parseSampleValue(le);
    if (upperBound === undefined) continue;
    const labels = emptyLabels();
    for (const [k, v] of Object.entries(s.labels)) if (k !== 'le' && k !== '__name__') labels[k] = v;
    const key = labelsKey(labels);
    let g = groups.get(key);
    if (!g) {
      g = { labels, buckets: [] };
      groups.set(key, g);
    }
    g.buckets.push({ upperBound, count: s.value });
  }
  return [...groups.values()].map((g) => ({ labels: g.labels, value: bucketQuantile(q, g.buckets) }));
}

/** Binary arithmetic on two single values, NaN/undefined-safe: undefined when either is. */
export function divide(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined || b === 0) return undefined;
  return a / b;
}
