import type { IncomingHttpHeaders } from 'node:http';
import { asCallerSees, forwardedPrefix, translateError } from '@opsmesh/shared';
import type { FastifyRequest } from 'fastify';

/**
 * Maps anything thrown on a V2 route to the protocol's `{ "error": "..." }` body with the same
 * status, code and headers the kit's problem+json handler would use: one translation, so the same
 * rules hold here (no caller text repeated, parser errors are 4xx, 5xx details not leaked), and
 * behind the gateway a route the message names is the path the caller uses (`GET /api/ml/models`).
 */

export interface V2Error {
  status: number;
  code: string;
  message: string;
  headers: Record<string, string>;
}

export function toV2Error(
  err: unknown,
  request?: Pick<FastifyRequest, 'routeOptions' | 'headers'>,
  headers: IncomingHttpHeaders | undefined = request?.headers,
): V2Error {
  const problem = translateError(err, request);
  const message = asCallerSees(problem.detail, headers ? forwardedPrefix(headers) : undefined);
  return { status: problem.status, code: problem.code, message, headers: problem.headers };
}

/** What writes a request's log lines: its Fastify logger, or the lean path's (lean-infer.ts). */
export interface RequestLog {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/**
 * Logs an error a V2 route answers as the route's error handler does: a 5xx other than an
 * overload as a failure with its cause, anything else as a rejection naming the code.
 */
export function logV2Error(log: RequestLog, err: unknown, e: V2Error): void {
  if (e.status >= 500 && e.code !== 'ML_OVERLOADED') log.error({ err }, 'request failed');
  else log.info({ code: e.code, detail: e.message }, 'request rejected');
}
