// Wall-clock nanoseconds with monotonic resolution: one wall-clock reading anchors hrtime.
const anchor = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

/** Nanoseconds since the Unix epoch, for span timestamps. */
export function nowNs(): bigint {
  return anchor + process.hrtime.bigint();
}
