const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
};

export class DurationError extends Error {
  constructor(text: string, tooLong = false) {
    // Repeated only when short and plain: the text may come from a caller's rule file.
    const shown = /^[0-9A-Za-z .+-]{1,32}$/.test(text) ? `"${text}"` : 'The value';
    super(
      tooLong
        ? `${shown} is a duration too long to count in milliseconds; keep it under 285,000y`
        : `${shown} is not a duration; use units ms, s, m, h, d, w, y as in 30s, 5m or 1h30m`,
    );
    this.name = 'DurationError';
  }
}

/**
 * Parses a Prometheus duration into milliseconds. Units must go from the largest to the
 * smallest, each at most once, as Prometheus requires.
 *
 * @example
 * parseDuration('1h30m') // 5_400_000
 */
export function parseDuration(text: string): number {
  const t = text.trim();
  if (t === '0') return 0;
  let i = 0;
  let total = 0;
  let lastUnit = Number.POSITIVE_INFINITY;
  if (t.length === 0) throw new DurationError(text);
  while (i < t.length) {
    const numStart = i;
    while (i < t.length && t.charCodeAt(i) >= 48 && t.charCodeAt(i) <= 57) i++;
    if (i === numStart) throw new DurationError(text);
    const n = Number(t.slice(numStart, i));
    const unit = t.startsWith('ms', i) ? 'ms' : t[i];
    const size = unit === undefined ? undefined : UNITS[unit];
    if (unit === undefined || size === undefined || size >= lastUnit) throw new DurationError(text);
    lastUnit = size;
    i += unit.length;
    total += n * size;
  }
  if (!Number.isSafeInteger(total)) throw new DurationError(text, true);
  return total;
}

/** Formats milliseconds as a Prometheus duration, e.g. 5_400_000 → '1h30m'. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const unit of ['y', 'w', 'd', 'h', 'm', 's', 'ms']) {
    const size = UNITS[unit]!;
    if (rest >= size) {
      out += Math.floor(rest / size) + unit;
      rest %= size;
    }
  }
  return out;
}
