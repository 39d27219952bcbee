import { randomHex } from '../ids/random-pool.js';

const SAFE = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps a caller's `x-request-id` when it is safe to log, else makes a new `req_` id. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  if (value && SAFE.test(value)) return value;
  return newRequestId();
}

export function newRequestId(): string {
  return `req_${randomHex(10)}`;
}
