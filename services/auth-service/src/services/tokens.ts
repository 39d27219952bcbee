import { createHash } from 'node:crypto';
import { randomBase62 } from '@opsmesh/shared/ids/new-id';

/** Opaque secrets are stored as SHA-256: they carry enough entropy that a slow hash adds nothing. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export const REFRESH_TOKEN_PREFIX = 'omr_';
export const CLIENT_SECRET_PREFIX = 'oms_';

export function newRefreshToken(): string {
  return `${REFRESH_TOKEN_PREFIX}${randomBase62(43)}`;
}
