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

/** Classifies an undici or socket error by its cause's code or its own, timeouts first. */
export function classifyFailure(error: Error & { code?: string; cause?: unknown }): FailureKind {
  const causeCode = (error.cause as { code?: string } | undefined)?.code ?? '';
  const code = error.code ?? '';
  const either = (codes: ReadonlySet<string>) => codes.has(causeCode) || codes.has(code);
  if (either(TIMEOUT_CODES)) return 'timeout';
  if (either(CONNECT_CODES)) return 'connect';
  if (either(RESET_CODES)) return 'reset';
  return 'other';
}
