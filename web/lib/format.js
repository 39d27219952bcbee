// Numbers as an operator reads them: units, sane precision, durations not cut.

export const DASH = '–';
const missing = (v) => v === null || v === undefined || Number.isNaN(v);

/** Four significant digits at most, no trailing zeros: 113.1, 0.5, 1235. */
export function sig(v, digits = 4) {
  if (missing(v)) return DASH;
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 10 ** digits) return Math.round(v).toLocaleString('en');
  return String(Number(v.toPrecision(digits)));
}

/** A ratio as a percentage: 0.6 → "60%", 0.99912 → "99.91%". */
export function percent(v) {
  if (missing(v)) return DASH;
  const p = v * 100;
  if (p === 0 || p === 100) return `${p}%`;
  return `${sig(p, Math.abs(p) >= 99 && Math.abs(p) < 100 ? 4 : 3)}%`;
}

/** Seconds as a duration: 0.0042 → "4.2 ms", 4.8 → "4.8 s", 3725 → "1h 2m 5s". */
export function seconds(v) {
  if (missing(v)) return DASH;
  const abs = Math.abs(v);
  if (abs === 0) return '0 s';
  if (abs < 0.001) return `${sig(v * 1e6, 3)} µs`;
  if (abs < 1) return `${sig(v * 1000, 3)} ms`;
  if (abs < 60) return `${sig(v, 3)} s`;
  return span(v * 1000);
}

/** Milliseconds as "1h 2m", "3d 4h", "45s": the two largest units. */
export function span(ms) {
  let s = Math.round(Math.abs(ms) / 1000);
  const parts = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ]) {
    if (s >= size || (unit === 's' && parts.length === 0)) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  return parts.slice(0, 2).join(' ');
}

/** Requests per second. */
export function rate(v) {
  return missing(v) ? DASH : `${sig(v, 3)}/s`;
}

/** Bytes in KB, MB, GB (powers of 1024, as file managers show). */
export function bytes(n) {
  if (missing(n)) return DASH;
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : sig(v, 3)} ${units[i]}`;
}

/** How long ago an ISO time was: "45s ago", "3m ago", "2h 5m ago"; "in 20m" for the future. */
export function ago(iso, now = Date.now()) {
  if (!iso) return DASH;
  const ms = now - Date.parse(iso);
  return ms >= 0 ? `${span(ms)} ago` : `in ${span(-ms)}`;
}

/** A time for a table: "14:03:09" today, "5 Dec 14:03" on another day. */
export function when(iso, now = new Date()) {
  if (!iso) return DASH;
  const d = new Date(iso);
  const sameDay = d.toDateString() === now.toDateString();
  return sameDay
    ? d.toLocaleTimeString('en-GB', { hour12: false })
    : d.toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

/** The golden signals: their label, unit formatter and what they mean. */
export const SIGNALS = {
  request_rate: { label: 'req/s', format: rate, tip: 'Requests per second the service answered.' },
  error_ratio: {
    label: 'errors',
    format: percent,
    tip: 'Share of requests that ended in a 5xx (a server fault), over the rate window.',
  },
  latency_p50: { label: 'p50', format: seconds, tip: 'Half of the requests were answered faster than this.' },
  latency_p95: { label: 'p95', format: seconds, tip: '95% of the requests were answered faster than this.' },
  latency_p99: {
    label: 'p99',
    format: seconds,
    tip: '99% of the requests were answered faster than this: the slowest 1% took longer.',
  },
  availability: {
    label: 'availability',
    format: percent,
    tip: 'Share of scrapes in the window in which the service answered at all.',
  },
  saturation: {
    label: 'saturation',
    format: percent,
    tip: 'How full the busiest instance is: the larger of its event-loop lag and its memory, each as a share of its budget. 100% means at the limit.',
  },
};

/** Explains the dash shown where a number would be. */
export const DASH_TIP = 'A dash means no data: no requests in the window, or the service was not scraped.';

/**
 * A span's or trace's duration in milliseconds, precise where it is short.
 *
 * @example
 * millis(0.42) // '0.42 ms'; millis(12.34) // '12.3 ms'; millis(1240) // '1.24 s'
 */
export function millis(v) {
  if (v >= 1000) return `${(v / 1000).toFixed(2)} s`;
  return `${v.toFixed(v < 10 ? 2 : 1)} ms`;
}
