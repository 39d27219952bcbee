/**
 * Polls `probe` every 25 ms until `done` accepts its value or `ms` pass, and says how long it
 * took: for changes that reach another replica or service within a bound.
 *
 * @example
 * const seen = await eventually(() => call(b, 'GET', '/models/x'), (r) => r.status === 200);
 * expect(seen.ms).toBeLessThan(2000);
 */
export async function eventually<T>(
  probe: () => T | Promise<T>,
  done: (value: T) => boolean,
  ms = 2000,
): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  let value = await probe();
  while (!done(value) && Date.now() - started < ms) {
    await new Promise((r) => setTimeout(r, 25));
    value = await probe();
  }
  return { value, ms: Date.now() - started };
}
