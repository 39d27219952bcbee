import type { FastifyRequest } from 'fastify';
import type { ClientInfo } from '../services/session-service.js';

export function clientInfo(request: FastifyRequest): ClientInfo {
  const agent = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: agent ? agent.slice(0, 256) : null };
}

/** The caller of a protected route; the auth hooks guarantee it is set. */
export function caller(request: FastifyRequest) {
  const identity = request.identity;
  if (!identity) throw new Error('route reached without an identity: missing auth preHandler');
  return identity;
}
