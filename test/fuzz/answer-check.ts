// What every answer to a generated request must be: no 5xx, an answer within the bound, and a
// client error in the one shape (RFC 9457 problem details with a code), save the endpoints that
// speak another protocol with its own error body: the Open Inference Protocol's
// `{ "error": "..." }` and the Prometheus HTTP API's `{ "status": "error", "errorType", "error" }`.
import type { Answer } from './send-request.js';

/** Which protocol's own error body a path may answer with, if any. */
export type ErrorProtocol = 'open-inference' | 'prometheus' | null;

function protocolError(protocol: ErrorProtocol, body: Record<string, unknown> | undefined): boolean {
  if (protocol === 'open-inference') return typeof body?.error === 'string' && body.error !== '';
  if (protocol === 'prometheus') {
    return body?.status === 'error' && typeof body.errorType === 'string' && typeof body.error === 'string';
  }
  return false;
}

/**
 * The fault in an answer, or null when it is as it must be.
 *
 * @example
 * faultIn({ kind: 'answer', status: 500, contentType: 'application/problem+json', body: '{}', ms: 3 }, null)
 * // 'answered 500: {}'
 */
export function faultIn(answer: Answer, protocol: ErrorProtocol): string | null {
  if (answer.kind === 'timeout') return `no answer within ${answer.ms} ms`;
  if (answer.kind === 'error') return `no answer: the connection failed (${answer.code})`;
  const { status, contentType, body } = answer;
  if (status >= 500) return `answered ${status}: ${body.slice(0, 500)}`;
  if (status < 400) return null;
  let parsed: Record<string, unknown> | undefined;
  try {
    parsed = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return `answered ${status} with a body that is not JSON (${contentType}): ${body.slice(0, 200)}`;
  }
  if (/^application\/json/.test(contentType) && protocolError(protocol, parsed)) return null;
  if (!/^application\/problem\+json/.test(contentType)) {
    return `answered ${status} as ${contentType || 'no content type'}, not application/problem+json: ${body.slice(0, 200)}`;
  }
  if (parsed?.status !== status)
    return `answered ${status} with a problem whose status is ${String(parsed?.status)}`;
  if (typeof parsed.code !== 'string' || !parsed.code)
    return `answered ${status} with a problem without a code`;
  if (typeof parsed.detail !== 'string' || !parsed.detail) {
    return `answered ${status} (${parsed.code}) without a detail saying what to fix`;
  }
  if (status === 413 && !/\d+ bytes/.test(parsed.detail)) {
    return `answered 413 (${parsed.code}) without naming the limit in bytes: ${parsed.detail}`;
  }
  return null;
}
