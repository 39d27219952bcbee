import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppError } from '../errors/app-error.js';
import { asCallerSees, forwardedPrefix } from './caller-paths.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  requestId: string;
  errors?: { field: string; message: string }[];
}

export function problemType(code: string): string {
  return `https://opsmesh.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`;
}

/**
 * Builds the RFC 9457 body for an error raised while handling `request`. Behind the gateway,
 * `instance` and the routes named in `detail` are the paths the caller used.
 */
export function toProblem(
  err: AppError,
  request: Pick<FastifyRequest, 'id' | 'url'> & { headers?: FastifyRequest['headers'] },
): ProblemBody {
  const prefix = request.headers ? forwardedPrefix(request.headers) : undefined;
  const path = request.url.split('?')[0] ?? request.url;
  const body: ProblemBody = {
    type: problemType(err.code),
    title: err.title,
    status: err.status,
    detail: asCallerSees(err.detail, prefix),
    instance: prefix ? `${prefix}${path === '/' ? '' : path}` : path,
    code: err.code,
    requestId: String(request.id),
  };
  if (err.fieldErrors?.length) body.errors = err.fieldErrors;
  return body;
}

/**
 * Answers with the problem. The body is serialised here, not by the route's response schema for
 * that status: a route whose 400 is another shape (the Prometheus API's) would otherwise bend
 * the problem into it (`"status": "400"`).
 */
export function sendProblem(reply: FastifyReply, err: AppError): FastifyReply {
  for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
  return reply
    .code(err.status)
    .type(PROBLEM_CONTENT_TYPE)
    .serializer(JSON.stringify)
    .send(toProblem(err, reply.request));
}
