import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 8192;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let offset = POOL_SIZE;

/**
 * `bytes` random bytes as hex, from a pool refilled 8 KiB at a time: request and trace ids are
 * made for every request, and one call into the CSPRNG per id cost more than the rest of the id.
 *
 * @example
 * randomHex(16) // '4bf92f3577b34da6a3ce929d0e0e4736'
 */
export function randomHex(bytes: number): string {
  if (bytes > POOL_SIZE) return randomFillSync(Buffer.alloc(bytes)).toString('hex');
  if (offset + bytes > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const out = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return out;
}
