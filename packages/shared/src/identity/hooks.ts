import type { FastifyReply, FastifyRequest } from 'fastify';
import { commonErrors } from '../errors/define-errors.js';
import { authGuard } from './guards.js';
import type { Permission } from './permissions.js';
import type { Identity } from './types.js';

/** Authenticates the request (once) and returns the caller; throws a 401 problem otherwise. */
export async function authenticateRequest(request: FastifyRequest): Promise<Identity> {
  if (request.identity) return request.identity;
  const authenticator = request.server.authenticator;
  if (!authenticator) throw new Error('this service was built without an authenticator');
  const identity = await authenticator.authenticate({
    authorization: request.headers.authorization,
    'x-api-key': request.headers['x-api-key'],
  });
  // No child logger for the subject: the access line names it, and every other line of the
  // request carries the same requestId (a second child per request cost ~7% of a hot route).
  request.identity = identity;
  return identity;
}

/**
 * A guard: any valid identity (401 otherwise). Wherever a route lists it, it runs as an
 * onRequest hook (see guards.ts), before the body is parsed or validated.
 */
export function requireAuth() {
  return authGuard({}, async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    await authenticateRequest(request);
  });
}

/**
 * A guard: 401 without valid credentials, 403 naming the permission when the caller's roles do
 * not grant it. It always runs as an onRequest hook, so an unauthenticated or unauthorised
 * caller learns nothing about the body a route expects.
 *
 * @example
 * app.post('/users', { onRequest: requirePermission('users:write') }, handler)
 */
export function requirePermission(permission: Permission) {
  return authGuard({ permission }, async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const identity = await authenticateRequest(request);
    if (!identity.permissions.has(permission)) throw commonErrors.FORBIDDEN({ permission });
  });
}

/** For handlers that check a permission conditionally (e.g. "own resource or admin"). */
export function hasPermission(request: FastifyRequest, permission: Permission): boolean {
  return request.identity?.permissions.has(permission) ?? false;
}
