/** Decimal digits of `|v|` without an exponent, from JavaScript's shortest round-trip form. */
function plainDigits(v: number): string {
  const s = String(Math.abs(v));
  const e = s.indexOf('e');
  if (e < 0) return s;
  const exp = Number(s.slice(e + 1));
  const [int, frac = ''] = s.slice(0, e).split('.');
  const digits = int! + frac;
  const point = int!.length + exp;
  if (point <= 0) return `0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * A sample value as Prometheus' HTTP API writes it (Go's `strconv.FormatFloat(v, 'f', -1, 64)`):
 * the shortest exact decimal, never an exponent, and `NaN`, `+Inf`, `-Inf`.
 *
 * @example
 * formatSampleValue(1e-7) // '0.0000001'
 */
export function formatSampleValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return (v < 0 ? '-' : '') + plainDigits(v);
}

/**
 * A value as Go's `%v` prints a float64, which is what `{{ $value }}` shows in a Prometheus
 * alert template: the shortest exact form, with an exponent below 1e-4 and from 1e21.
 *
 * @example
 * goFloat(0.00001) // '1e-05'
 */
export function goFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mantissa, e] = v.toExponential().split('e');
  const n = Number(e);
  if (n >= -4 && n < 21) return formatSampleValue(v);
  return `${mantissa}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
}
