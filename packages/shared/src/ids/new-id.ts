import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Random base62 text of `length` characters (rejection sampling keeps it unbiased). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += ALPHABET[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/**
 * A prefixed id that sorts by creation time: prefix, 8 base62 chars of milliseconds, 12 random.
 *
 * @example
 * newId('usr') // 'usr_0jQ3kZ1b4fT9xYq2LmNpA7'
 */
export function newId(prefix: string): string {
  let ms = Date.now();
  let time = '';
  for (let i = 0; i < 8; i++) {
    time = ALPHABET[ms % 62] + time;
    ms = Math.floor(ms / 62);
  }
  return `${prefix}_${time}${randomBase62(12)}`;
}
