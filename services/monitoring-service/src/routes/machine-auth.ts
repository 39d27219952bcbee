import { timingSafeEqual } from 'node:crypto';
import { authGuard, type Permission, requirePermission } from '@opsmesh/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * A guard for endpoints machines call (Prometheus' HTTP SD, Alertmanager's webhook): the
 * configured machine token as a bearer is enough, since those tools cannot refresh a JWT;
 * otherwise the caller needs `permission` like any other route.
 */
export function machineOrPermission(token: string | undefined, permission: Permission) {
  const expected = token ? Buffer.from(`Bearer ${token}`) : null;
  const check = requirePermission(permission);
  return authGuard({ permission }, async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const given = request.headers.authorization;
    if (expected && given) {
      const g = Buffer.from(given);
      if (g.length === expected.length && timingSafeEqual(g, expected)) return;
    }
    await check(request, reply);
  });
}
