import { deltaInput, extrapolatedDelta } from '../metrics/query-functions.js';

export type Points = ReadonlyArray<readonly [timestampMs: number, value: number]>;

/** A function of one series' samples in the window (start, end]; undefined yields no sample. */
type RangeFn = (points: Points, startMs: number, endMs: number, param: number) => number | undefined;

function extrapolated(isCounter: boolean, perSecond: boolean): RangeFn {
  return (points, start, end) =>
    extrapolatedDelta(
      deltaInput(
        points.map((p) => p[0]),
        points.map((p) => p[1]),
      ),
      start,
      end,
      isCounter,
      perSecond,
    );
}

/** irate/idelta: the last two samples alone, as Prometheus' instantValue. */
function instantValue(isRate: boolean): RangeFn {
  return (points) => {
    if (points.length < 2) return undefined;
    const [t1, v1] = points[points.length - 2]!;
    const [t2, v2] = points[points.length - 1]!;
    const interval = t2 - t1;
    if (interval === 0) return undefined;
    const value = isRate && v2 < v1 ? v2 : v2 - v1;
    return isRate ? value / (interval / 1000) : value;
  };
}

function sum(points: Points): number {
  let s = 0;
  for (const p of points) s += p[1];
  return s;
}

/** Welford's running variance, as Prometheus computes stdvar/stddev. */
export function variance(values: Iterable<number>): number {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (const v of values) {
    n++;
    const delta = v - mean;
    mean += delta / n;
    m2 += delta * (v - mean);
  }
  return m2 / n;
}

/** Prometheus' φ-quantile of values, linearly interpolated between the closest ranks. */
export function quantile(q: number, input: readonly number[]): number {
  if (input.length === 0 || Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const values = [...input].sort((a, b) => a - b);
  const n = values.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return values[lower]! * (1 - weight) + values[upper]! * weight;
}

const nonEmpty =
  (fn: (points: Points, param: number) => number): RangeFn =>
  (points, _s, _e, param) =>
    points.length === 0 ? undefined : fn(points, param);

/** The `<fn>(range vector)` functions, by name. */
export const RANGE_FUNCTIONS: Readonly<Record<string, RangeFn>> = {
  rate: extrapolated(true, true),
  increase: extrapolated(true, false),
  delta: extrapolated(false, false),
  irate: instantValue(true),
  idelta: instantValue(false),
  changes: nonEmpty((p) => {
    let n = 0;
    for (let i = 1; i < p.length; i++) {
      const a = p[i - 1]![1];
      const b = p[i]![1];
      if (a !== b && !(Number.isNaN(a) && Number.isNaN(b))) n++;
    }
    return n;
  }),
  resets: nonEmpty((p) => {
    let n = 0;
    for (let i = 1; i < p.length; i++) if (p[i]![1] < p[i - 1]![1]) n++;
    return n;
  }),
  avg_over_time: nonEmpty((p) => sum(p) / p.length),
  sum_over_time: nonEmpty(sum),
  count_over_time: nonEmpty((p) => p.length),
  min_over_time: nonEmpty((p) => {
    let m = p[0]![1];
    for (const [, v] of p) if (v < m || Number.isNaN(m)) m = v;
    return m;
  }),
  max_over_time: nonEmpty((p) => {
    let m = p[0]![1];
    for (const [, v] of p) if (v > m || Number.isNaN(m)) m = v;
    return m;
  }),
  last_over_time: nonEmpty((p) => p[p.length - 1]![1]),
  present_over_time: nonEmpty(() => 1),
  stdvar_over_time: nonEmpty((p) => variance(p.map((x) => x[1]))),
  stddev_over_time: nonEmpty((p) => Math.sqrt(variance(p.map((x) => x[1])))),
  quantile_over_time: nonEmpty((p, q) =>
    quantile(
      q,
      p.map((x) => x[1]),
    ),
  ),
};
