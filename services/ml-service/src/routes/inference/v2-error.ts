import { translateError } from '@opsmesh/shared';
import type { FastifyRequest } from 'fastify';

/**
 * Maps anything thrown on a V2 route to the protocol's `{ "error": "..." }` body with the same
 * status, code and headers the kit's problem+json handler would use: one translation, so the same
 * rules hold here (no caller text repeated, parser errors are 4xx, 5xx details not leaked).
 */

export interface V2Error {
  status: number;
  code: string;
  message: string;
  headers: Record<string, string>;
}

export function toV2Error(err: unknown, request?: Pick<FastifyRequest, 'routeOptions' | 'headers'>): V2Error {
  const problem = translateError(err, request);
  return { status: problem.status, code: problem.code, message: problem.detail, headers: problem.headers };
}
