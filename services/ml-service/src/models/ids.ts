import { randomBytes } from 'node:crypto';

/** Prefixed random ids (`mdl_`, `ver_`, `alh_`, `prd_`) so a log line says what it names. */
export function newId(prefix: 'mdl' | 'ver' | 'alh' | 'prd'): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}
