import { isAppError } from '@opsmesh/shared';

/**
 * Maps anything thrown on a V2 route to the protocol's `{ "error": "..." }` body with the
 * same status and headers the problem+json handler would use. (The kit's translator is not
 * exported, so schema and parser errors are mapped here too.)
 */

export interface V2Error {
  status: number;
  code: string;
  message: string;
  headers: Record<string, string>;
}

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
  validation?: { instancePath?: string; message?: string; params?: Record<string, unknown> }[];
  validationContext?: string;
}

export function toV2Error(err: unknown): V2Error {
  if (isAppError(err))
    return { status: err.status, code: err.code, message: err.detail, headers: err.headers };
  const fe = (err ?? {}) as FastifyLikeError;
  if (Array.isArray(fe.validation)) {
    const parts = fe.validation.slice(0, 10).map((v) => {
      const path = [fe.validationContext, ...(v.instancePath ?? '').split('/').filter(Boolean)]
        .filter(Boolean)
        .join('.');
      const missing = v.params?.['missingProperty'];
      return `${path}${typeof missing === 'string' ? `.${missing}` : ''} ${v.message ?? 'is invalid'}`;
    });
    return { status: 400, code: 'VALIDATION_FAILED', message: parts.join('; '), headers: {} };
  }
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'the request body is too large', headers: {} };
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return {
      status: fe.statusCode,
      code: fe.code ?? 'BAD_REQUEST',
      message: fe.message ?? 'bad request',
      headers: {},
    };
  }
  if (err instanceof SyntaxError)
    return { status: 400, code: 'BAD_REQUEST', message: `malformed JSON: ${err.message}`, headers: {} };
  return {
    status: 500,
    code: 'INTERNAL',
    message: 'internal error; it has been logged with the request id',
    headers: {},
  };
}
