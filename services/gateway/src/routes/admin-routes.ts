import { requirePermission } from '@opsmesh/shared';
import type { FastifyInstance } from 'fastify';
import type { LiveConfig } from '../config/live-config.js';
import type { StoreHealth } from '../rate-limit/rate-limit-store.js';
import type { GatewaySnapshot } from '../router/gateway-snapshot.js';
import type { UpstreamRegistry } from '../upstream/upstream-registry.js';

export interface AdminRoutesDeps {
  live: LiveConfig<GatewaySnapshot>;
  upstreams: UpstreamRegistry;
  rateLimitHealth: () => StoreHealth;
}

/** Read-only views of the running gateway, for operators holding `gateway:admin`. */
export async function adminRoutes(app: FastifyInstance, deps: AdminRoutesDeps): Promise<void> {
  const guard = (summary: string) => ({
    preHandler: requirePermission('gateway:admin'),
    schema: { tags: ['admin'], summary, security: [{ bearer: [] }] },
  });
  app.get('/admin/config', guard('The running gateway config: services, routes, plugins'), async () => {
    const snapshot = deps.live.current;
    return { version: deps.live.version, loadedAt: snapshot.loadedAt, config: snapshot.config };
  });
  app.get(
    '/admin/upstreams',
    guard('Every upstream instance with its health, and the rate-limit store'),
    async () => ({
      upstreams: deps.upstreams.health(),
      rateLimitStore: deps.rateLimitHealth(),
    }),
  );
}
