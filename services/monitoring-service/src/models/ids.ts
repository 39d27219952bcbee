import { randomBytes } from 'node:crypto';

/**
 * A prefixed id (`rul_`, `sil_`, `alh_`, `ntf_`): a millisecond timestamp then randomness, so
 * ids sort by creation time and a log line tells what they name.
 */
export function newId(prefix: 'rul' | 'sil' | 'alh' | 'ntf'): string {
  return `${prefix}_${Date.now().toString(36)}${randomBytes(8).toString('hex')}`;
}
