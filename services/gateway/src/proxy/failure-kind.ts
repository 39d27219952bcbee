/** How an upstream attempt failed, for metrics, passive health and the answer's status. */
export type FailureKind = 'connect' | 'reset' | 'timeout' | 'other';

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'EAI_AGAIN',
]);
const RESET_CODES = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED']);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** Classifies an undici or socket error by its code (or its cause's). */
export function classifyFailure(error: Error & { code?: string; cause?: unknown }): FailureKind {
  const cause = error.cause as { code?: string } | undefined;
  const code = cause?.code ?? error.code ?? '';
  if (TIMEOUT_CODES.has(code) || (error.code !== undefined && TIMEOUT_CODES.has(error.code)))
    return 'timeout';
  if (CONNECT_CODES.has(code) || (error.code !== undefined && CONNECT_CODES.has(error.code)))
    return 'connect';
  if (RESET_CODES.has(code) || (error.code !== undefined && RESET_CODES.has(error.code))) return 'reset';
  return 'other';
}
