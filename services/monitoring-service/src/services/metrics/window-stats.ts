import type { StoredSeries } from './scrape-group.js';

export interface WindowStats {
  n: number;
  firstT: number;
  firstV: number;
  lastT: number;
  lastV: number;
  /** Sum of the values seen just before each counter reset. */
  resets: number;
  sum: number;
  min: number;
  max: number;
}

export function newWindowStats(): WindowStats {
  return { n: 0, firstT: 0, firstV: 0, lastT: 0, lastV: 0, resets: 0, sum: 0, min: 0, max: 0 };
}

/**
 * Summary of a series' present samples within [from, to] in one pass without allocation:
 * what rate(), increase() and the *_over_time functions need. Fills and returns `out`.
 */
export function windowStats(s: StoredSeries, fromMs: number, toMs: number, out: WindowStats): WindowStats {
  // The slots of a window are the same for every series of a target: computed once.
  const w = s.group.window(fromMs, toMs);
  const { slots, seqs, times } = w;
  const chunk = s.chunk;
  const col = s.col;
  const born = s.bornSeq;
  // Locals, not fields of `out`, inside the loop: this is the hottest loop of rule evaluation.
  let n = 0;
  let firstT = 0;
  let firstV = 0;
  let lastT = 0;
  let prev = 0;
  let resets = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const length = w.length;
  // Slots come oldest first: those before the series was born lead, and are skipped at once.
  let i = 0;
  while (i < length && seqs[i]! < born) i++;
  for (; i < length; i++) {
    const row = chunk[slots[i]!];
    if (row === undefined) continue;
    const v = row[col]!;
    // biome-ignore lint/suspicious/noSelfCompare: NaN test without a call in the hottest loop
    if (v !== v) continue; // stale or absent
    if (n === 0) {
      firstT = times[i]!;
      firstV = v;
    } else if (v < prev) resets += prev;
    prev = v;
    lastT = times[i]!;
    n++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  out.n = n;
  out.firstT = firstT;
  out.firstV = firstV;
  out.lastT = lastT;
  out.lastV = prev;
  out.resets = resets;
  out.sum = sum;
  out.min = min;
  out.max = max;
  return out;
}
