/**
 * How an error reaches a log line: its type, code, message and stack, and its causes the same way,
 * with credentials scrubbed from the text. Other own properties are left out on purpose: a
 * PostgreSQL error's `detail` quotes the row (`Key (email)=(…)`), an HTTP client's error carries
 * the request it sent, and a validation error the body it judged.
 */

const SECRET_PATTERNS: [RegExp, string][] = [
  // `Bearer <token>`, `Basic <credentials>` in a quoted header.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]'],
  // JSON Web Tokens anywhere.
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '[redacted-jwt]'],
  // Prefixed opsmesh credentials: API keys, service account secrets, refresh tokens.
  [/\b(omk|oms|omr)_[A-Za-z0-9]{8,}/g, '$1_[redacted]'],
  // `password=…`, `"client_secret":"…"`, `token: …` as a form, JSON or prose would write them.
  [
    /((?:password|passwd|secret|token|api[_-]?key|authorization|private[_-]?key|signing[_-]?key)["']?\s*[:=]\s*["']?)[^\s"'&,;}]+/gi,
    '$1[redacted]',
  ],
];

/**
 * Removes credentials from free text, for error messages that may quote a request.
 *
 * @example
 * scrubSecrets('login failed: password=hunter2') // 'login failed: password=[redacted]'
 */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

export interface SerializedError {
  type: string;
  message: string;
  code?: string;
  statusCode?: number;
  stack?: string;
  cause?: SerializedError | string;
}

/**
 * A pino `err` serializer (see {@link scrubSecrets}); follows `cause` four levels deep.
 *
 * @example
 * pino({ serializers: { err: serializeError } })
 */
export function serializeError(err: unknown, depth = 0): SerializedError | string {
  if (!(err instanceof Error)) {
    return scrubSecrets(typeof err === 'string' ? err : String(JSON.stringify(err) ?? err)).slice(0, 2000);
  }
  const out: SerializedError = {
    type: err.constructor?.name || err.name,
    message: scrubSecrets(err.message),
  };
  const { code, statusCode } = err as { code?: unknown; statusCode?: unknown };
  if (typeof code === 'string') out.code = code;
  if (typeof statusCode === 'number') out.statusCode = statusCode;
  if (err.stack) out.stack = scrubSecrets(err.stack);
  if (err.cause !== undefined && depth < 4) out.cause = serializeError(err.cause, depth + 1);
  return out;
}
