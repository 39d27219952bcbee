import { transformJsonBody } from '../transform/field-ops.js';
import type { CompiledTransform } from '../transform/transformers.js';
import { isJsonType } from './request-body.js';
import { headerValue } from './upstream-headers.js';

/** Responses bigger than this are streamed unchanged rather than held in memory to rewrite. */
export const MAX_TRANSFORMED_BYTES = 8 * 1024 * 1024;

/** Whether this answer's body must be buffered for the response-transformer. */
export function needsBodyTransform(
  transform: CompiledTransform | undefined,
  headers: readonly string[],
): boolean {
  if (!transform?.touchesBody || !isJsonType(headerValue(headers, 'content-type'))) return false;
  return Number(headerValue(headers, 'content-length') ?? 0) <= MAX_TRANSFORMED_BYTES;
}

/** Rewrites the fields of a buffered JSON answer; a body that is not JSON after all passes as it came. */
export function transformJsonAnswer(raw: Buffer, transform: CompiledTransform): Buffer {
  try {
    return Buffer.from(JSON.stringify(transformJsonBody(JSON.parse(raw.toString('utf8')), transform.body)));
  } catch {
    return raw;
  }
}
