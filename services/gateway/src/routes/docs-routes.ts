import type { FastifyInstance } from 'fastify';
import type { LiveConfig } from '../config/live-config.js';
import type { GatewaySnapshot } from '../router/gateway-snapshot.js';
import type { UpstreamRegistry } from '../upstream/upstream-registry.js';

type OpenApi = {
  paths?: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown> };
  info?: { title?: string; version?: string };
};

/** Where a service's API is mounted at the gateway: the prefix its routes strip. */
function mountOf(snapshot: GatewaySnapshot, serviceName: string): string | undefined {
  const service = snapshot.config.services.find((s) => s.name === serviceName);
  for (const route of service?.routes ?? []) {
    if (typeof route.strip_path === 'string') return route.strip_path;
    if (route.strip_path === true) return route.paths.reduce((a, b) => (a.length <= b.length ? a : b));
  }
  return undefined;
}

/**
 * `/docs`: one OpenAPI document for the whole platform, made from every service's own
 * `/docs/json` with paths rewritten to where the gateway exposes them. A service that does
 * not answer is listed under `x-opsmesh-unavailable` instead of failing the page.
 */
export async function docsRoutes(
  app: FastifyInstance,
  deps: { live: LiveConfig<GatewaySnapshot>; upstreams: UpstreamRegistry },
) {
  app.get('/docs', { schema: { hide: true } }, async () => {
    const snapshot = deps.live.current;
    const merged = {
      openapi: '3.1.0',
      info: { title: 'opsmesh API (through the gateway)', version: String(deps.live.version) },
      paths: {} as Record<string, unknown>,
      components: {
        schemas: {} as Record<string, unknown>,
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      },
      tags: [] as { name: string; description: string }[],
      'x-opsmesh-unavailable': [] as string[],
    };
    await Promise.all(
      snapshot.config.services.map(async (service) => {
        const mount = mountOf(snapshot, service.name);
        const instance = deps.upstreams.get(service.upstream)?.pick();
        if (!instance || mount === undefined) {
          merged['x-opsmesh-unavailable'].push(service.name);
          return;
        }
        try {
          const res = await fetch(instance.url + (service.openapi_path ?? '/docs/json'), {
            signal: AbortSignal.timeout(2_000),
          });
          if (!res.ok) throw new Error(String(res.status));
          const doc = (await res.json()) as OpenApi;
          merged.tags.push({
            name: service.name,
            description: `${doc.info?.title ?? service.upstream} ${doc.info?.version ?? ''}`.trim(),
          });
          for (const [path, item] of Object.entries(doc.paths ?? {})) {
            const tagged = Object.fromEntries(
              Object.entries(item as Record<string, Record<string, unknown>>).map(([method, op]) => [
                method,
                typeof op === 'object' && op ? { ...op, tags: [service.name] } : op,
              ]),
            );
            merged.paths[mount.replace(/\/$/, '') + path || '/'] = tagged;
          }
          Object.assign(merged.components.schemas, doc.components?.schemas ?? {});
        } catch {
          merged['x-opsmesh-unavailable'].push(service.name);
        }
      }),
    );
    return merged;
  });
}
