import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, isAppError } from '../errors/app-error.js';
import { commonErrors } from '../errors/define-errors.js';
import { sendProblem } from './problem.js';

interface AjvLikeError {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

/** Names the offending field of a schema validation error, e.g. `body.email`. */
function fieldOf(context: string | undefined, e: AjvLikeError): string {
  const base = (e.instancePath ?? '').split('/').filter(Boolean).join('.');
  const missing = e.params?.['missingProperty'] ?? e.params?.['additionalProperty'];
  const path = [base, typeof missing === 'string' ? missing : ''].filter(Boolean).join('.');
  return [context, path].filter(Boolean).join('.') || context || 'request';
}

function messageOf(e: AjvLikeError): string {
  if (e.keyword === 'additionalProperties') return 'is not an accepted field; remove it';
  if (e.keyword === 'required') return 'is required';
  return e.message ?? 'is invalid';
}

/** Maps anything thrown in a request to a problem+json answer; only 5xx are logged as errors. */
export function translateError(err: unknown): AppError {
  if (isAppError(err)) return err;
  const fe = err as FastifyError & { validationContext?: string };
  if (fe && Array.isArray(fe.validation)) {
    const fieldErrors = fe.validation.map((v) => ({
      field: fieldOf(fe.validationContext, v as AjvLikeError),
      message: messageOf(v as AjvLikeError),
    }));
    const summary = fieldErrors.map((f) => `${f.field} ${f.message}`).join('; ');
    return new AppError({
      code: 'VALIDATION_FAILED',
      status: 400,
      title: 'Invalid request',
      detail: summary.length > 500 ? `${summary.slice(0, 497)}...` : summary,
      fieldErrors: fieldErrors.slice(0, 50),
    });
  }
  switch (fe?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return commonErrors.PAYLOAD_TOO_LARGE({ limit: Number((fe as { limit?: number }).limit ?? 0) || 0 });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return commonErrors.UNSUPPORTED_MEDIA_TYPE({ contentType: String(fe.message.split(': ').pop() ?? '') });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return commonErrors.BAD_REQUEST({
        message: 'The body is empty but content-type is application/json; send a JSON document.',
      });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return commonErrors.BAD_REQUEST({ message: `The body is not valid JSON: ${fe.message}` });
  }
  if (err instanceof SyntaxError || fe?.statusCode === 400) {
    return commonErrors.BAD_REQUEST({ message: `Malformed request: ${fe?.message ?? 'unreadable body'}` });
  }
  if (fe?.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new AppError({
      code: fe.statusCode === 404 ? 'NOT_FOUND' : 'BAD_REQUEST',
      status: fe.statusCode,
      title: 'Bad request',
      detail: fe.message,
    });
  }
  return commonErrors.INTERNAL({}, { cause: err });
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const problem = translateError(err);
    if (problem.status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: problem.code, detail: problem.detail }, 'request rejected');
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      commonErrors.NOT_FOUND({ method: request.method, url: request.url.split('?')[0] ?? '' }),
    ),
  );
}
