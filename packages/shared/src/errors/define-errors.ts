import { AppError } from './app-error.js';

type Spec<P> = {
  status: number;
  title: string;
  detail: (params: P) => string;
};

/** What an error may carry besides its detail: headers, its cause, and the problem's `errors` list. */
type ErrorExtra = {
  headers?: Record<string, string>;
  cause?: unknown;
  fieldErrors?: { field: string; message: string }[];
};

type Factories<T extends Record<string, Spec<never>>> = {
  [K in keyof T]: T[K] extends Spec<infer P> ? (params: P, extra?: ErrorExtra) => AppError : never;
} & { readonly catalogue: { code: string; status: number; title: string }[] };

/**
 * Declares a service's error catalogue once: stable code, HTTP status, title and a detail template.
 *
 * @example
 * const errors = defineErrors({
 *   ML_MODEL_NOT_FOUND: { status: 404, title: 'Model not found', detail: (p: { name: string }) => `No model named "${p.name}".` },
 * });
 * throw errors.ML_MODEL_NOT_FOUND({ name: 'iris' });
 */
export function defineErrors<T extends Record<string, Spec<never>>>(specs: T): Factories<T> {
  const out: Record<string, unknown> = {};
  const catalogue: { code: string; status: number; title: string }[] = [];
  for (const [code, spec] of Object.entries(specs)) {
    if (!/^[A-Z][A-Z0-9_]+$/.test(code)) throw new Error(`error code ${code} must be UPPER_SNAKE_CASE`);
    if (spec.status < 400 || spec.status > 599)
      throw new Error(`error ${code} has non-error status ${spec.status}`);
    catalogue.push({ code, status: spec.status, title: spec.title });
    out[code] = (params: never, extra?: ErrorExtra) =>
      new AppError({
        code,
        status: spec.status,
        title: spec.title,
        detail: spec.detail(params),
        ...(extra?.headers ? { headers: extra.headers } : {}),
        ...(extra?.cause !== undefined ? { cause: extra.cause } : {}),
        ...(extra?.fieldErrors ? { fieldErrors: extra.fieldErrors } : {}),
      });
  }
  out['catalogue'] = catalogue;
  return out as Factories<T>;
}

/** Errors every service can answer with, raised by the shared kit itself. */
export const commonErrors = defineErrors({
  VALIDATION_FAILED: {
    status: 400,
    title: 'Invalid request',
    detail: (p: { summary: string }) => p.summary,
  },
  BAD_REQUEST: { status: 400, title: 'Bad request', detail: (p: { message: string }) => p.message },
  UNAUTHENTICATED: {
    status: 401,
    title: 'Authentication required',
    detail: (p: { reason: string }) => p.reason,
  },
  FORBIDDEN: {
    status: 403,
    title: 'Permission denied',
    detail: (p: { permission: string }) =>
      `This action needs the "${p.permission}" permission, which your roles do not grant.`,
  },
  NOT_FOUND: {
    status: 404,
    title: 'Not found',
    detail: (p: { method: string; url: string }) =>
      `No route ${p.method} ${p.url}; see /docs/json for the API.`,
  },
  METHOD_NOT_ALLOWED: {
    status: 405,
    title: 'Method not allowed',
    detail: (p: { method: string; url: string }) => `${p.method} is not supported on ${p.url}.`,
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    title: 'Payload too large',
    detail: (p: { limit: number | undefined }) =>
      p.limit
        ? `The request body exceeds this route's limit of ${p.limit} bytes; send less.`
        : "The request body exceeds this route's size limit; send less.",
  },
  REQUEST_TIMEOUT: {
    status: 408,
    title: 'Request timeout',
    detail: (_: Record<string, never>) => 'The request was not received in time; send it again, whole.',
  },
  REQUEST_BODY_TOO_SLOW: {
    status: 408,
    title: 'Request body too slow',
    detail: (p: { minBytesPerSecond: number }) =>
      `The request body arrived slower than ${p.minBytesPerSecond} bytes per second; send it again without pausing.`,
  },
  REQUEST_BODY_TIMEOUT: {
    status: 408,
    title: 'Request body too slow',
    detail: (p: { timeoutSeconds: number }) =>
      `The request body was not whole after ${p.timeoutSeconds} s (BODY_TIMEOUT_MS); send it faster, or in smaller parts.`,
  },
  EXPECTATION_FAILED: {
    status: 417,
    title: 'Expectation failed',
    detail: (_: Record<string, never>) =>
      'The Expect header asks for something other than 100-continue, the one expectation served; drop the header or send "Expect: 100-continue".',
  },
  UNSUPPORTED_CONTENT_ENCODING: {
    status: 415,
    title: 'Unsupported content encoding',
    detail: (p: { accepted: string[] }) =>
      p.accepted.length
        ? `This route takes a body compressed with ${p.accepted.join(' or ')} or not at all; send it uncompressed or with one of those.`
        : 'This route takes the body uncompressed; drop the Content-Encoding header and send the body as it is.',
  },
  HEADERS_TOO_LARGE: {
    status: 431,
    title: 'Request header fields too large',
    detail: (_: Record<string, never>) =>
      'The request headers exceed 16384 bytes; send fewer or shorter ones.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    title: 'Unsupported media type',
    detail: (p: { contentType: string; accepted: string[] }) =>
      `Content type "${p.contentType}" is not accepted here; send ${p.accepted.join(' or ')}.`,
  },
  UNSUPPORTED_CHARSET: {
    status: 415,
    title: 'Unsupported charset',
    detail: (p: { charset: string }) =>
      `The body is declared as charset "${p.charset}"; only UTF-8 is accepted: encode the body as UTF-8 and send "charset=utf-8" or no charset.`,
  },
  INVALID_UTF8: {
    status: 400,
    title: 'Body is not UTF-8',
    detail: (p: { offset: number }) =>
      `The request body is not valid UTF-8 (the first bad byte is at offset ${p.offset}); encode the text as UTF-8, the only charset accepted, and send it again.`,
  },
  RATE_LIMITED: {
    status: 429,
    title: 'Too many requests',
    detail: (p: { retryAfter: number }) => `Slow down; try again in ${p.retryAfter} s.`,
  },
  INTERNAL: {
    status: 500,
    title: 'Internal error',
    detail: (_: Record<string, never>) =>
      'An unexpected error occurred; it has been logged with the request id.',
  },
  UNAVAILABLE: {
    status: 503,
    title: 'Service unavailable',
    detail: (p: { dependency: string }) => `A dependency (${p.dependency}) is unavailable; retry shortly.`,
  },
  UPSTREAM_CIRCUIT_OPEN: {
    status: 503,
    title: 'Dependency circuit open',
    detail: (p: { dependency: string }) =>
      `${p.dependency} kept failing, so its circuit breaker is open and calls to it fail fast; retry in a few seconds.`,
  },
});
