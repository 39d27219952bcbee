/** One limit: at most `limit` hits in any `windowMs`. */
export interface WindowSpec {
  windowMs: number;
  limit: number;
}

export interface WindowOutcome {
  windowMs: number;
  limit: number;
  remaining: number;
  /** Ms until the current fixed window ends and the weight of its hits starts to fall. */
  resetMs: number;
  /** Ms until one more hit would be allowed; 0 when it is now. */
  retryAfterMs: number;
}

export interface HitResult {
  allowed: boolean;
  windows: WindowOutcome[];
}

/**
 * The sliding-window counter estimate: the previous fixed window's count weighted by how
 * much of it still overlaps the sliding window, plus the current count. Two counters per
 * window instead of a log of timestamps, and no burst of 2x at window edges as fixed
 * windows allow.
 */
export function estimate(prev: number, curr: number, elapsedMs: number, windowMs: number): number {
  return (prev * (windowMs - elapsedMs)) / windowMs + curr;
}

/** Whether one more hit fits in this window. */
export function fits(prev: number, curr: number, elapsedMs: number, spec: WindowSpec): boolean {
  return estimate(prev, curr, elapsedMs, spec.windowMs) + 1 <= spec.limit;
}

/**
 * Describes a window after a decision; `curr` already includes the hit when it was allowed.
 * Shared by every store so local and Redis answers are identical for the same counts.
 */
export function describeWindow(
  prev: number,
  curr: number,
  elapsedMs: number,
  spec: WindowSpec,
): WindowOutcome {
  const { windowMs: w, limit } = spec;
  const used = estimate(prev, curr, elapsedMs, w);
  const remaining = Math.max(0, Math.floor(limit - used));
  const resetMs = w - elapsedMs;
  let retryAfterMs = 0;
  if (used + 1 > limit) {
    if (curr + 1 <= limit && prev > 0) {
      // Within this window: wait until the previous window's weight has fallen enough.
      const t = w - elapsedMs - (w * (limit - 1 - curr)) / prev;
      retryAfterMs = Math.max(1, Math.ceil(t));
    } else {
      // Next window: the current count becomes the weighted one.
      const t = curr > 0 ? w * (1 - (limit - 1) / curr) : 0;
      retryAfterMs = Math.ceil(resetMs + Math.max(0, t));
    }
  }
  return { windowMs: w, limit, remaining, resetMs, retryAfterMs };
}

const UNIT_MS = { second: 1_000, minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/**
 * A window's name in the `RateLimit` and `RateLimit-Policy` fields: its unit (`second`,
 * `minute`, `hour`, `day`), or its length in seconds for any other length.
 *
 * @example
 * windowName(60_000) // 'minute'
 */
export function windowName(windowMs: number): string {
  for (const unit of Object.keys(UNIT_MS) as (keyof typeof UNIT_MS)[])
    if (UNIT_MS[unit] === windowMs) return unit;
  return `${Math.ceil(windowMs / 1000)}s`;
}

/** Turns `{ second: 5, minute: 100 }` into window specs, shortest first. */
export function windowsFrom(limits: Partial<Record<keyof typeof UNIT_MS, number>>): WindowSpec[] {
  const out: WindowSpec[] = [];
  for (const unit of Object.keys(UNIT_MS) as (keyof typeof UNIT_MS)[]) {
    const limit = limits[unit];
    if (limit !== undefined) out.push({ windowMs: UNIT_MS[unit], limit });
  }
  return out;
}

/**
 * The second (epoch) after which a key's counters no longer weigh in any of its windows: the
 * end of the window after the current one, for the longest window.
 */
export function expiresAtSeconds(now: number, windows: readonly WindowSpec[]): number {
  let end = 0;
  for (const w of windows) end = Math.max(end, (Math.floor(now / w.windowMs) + 2) * w.windowMs);
  return Math.ceil(end / 1000);
}
