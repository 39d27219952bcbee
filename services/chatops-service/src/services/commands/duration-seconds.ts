/** Seconds in a compact duration (`1h30m`, `2d`); undefined if it is not one. */
export function durationSeconds(compact: string): number | undefined {
  const m = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(compact);
  if (!m || compact === '') return undefined;
  const [, d = '0', h = '0', min = '0', s = '0'] = m;
  return Number(d) * 86400 + Number(h) * 3600 + Number(min) * 60 + Number(s);
}
