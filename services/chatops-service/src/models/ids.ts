import { randomBytes, randomInt } from 'node:crypto';

const ALPHANUM = '0123456789abcdefghijklmnopqrstuvwxyz';
// No 0/O, 1/I/L: codes are read off a screen and typed by hand.
const READABLE = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A prefixed random id, e.g. `run_3k9x...` (16 characters after the prefix). */
export function newId(prefix: string): string {
  const bytes = randomBytes(16);
  let out = '';
  for (const b of bytes) out += ALPHANUM[b % ALPHANUM.length];
  return `${prefix}_${out}`;
}

function readable(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += READABLE[randomInt(READABLE.length)];
  return out;
}

/** A confirmation code to type back: six readable characters. */
export const newConfirmationCode = (): string => readable(6);

/** A one-time link code in the `XXXX-XXXX` form the NLP recognises (always with a digit). */
export function newLinkCode(): string {
  for (;;) {
    const code = `${readable(4)}-${readable(4)}`;
    if (/\d/.test(code)) return code;
  }
}
