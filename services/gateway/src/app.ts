import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import {
  type Authenticator,
  answerOnSocket,
  createService,
  type Discovery,
  parseTrustedProxies,
  type ServiceApp,
} from '@opsmesh/shared';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { GatewayEnv } from './config/env-config.js';
import { LiveConfig, type ReloadResult } from './config/live-config.js';
import { parseGatewayConfig } from './config/load-gateway-config.js';
import type { OpenApiDoc } from './docs/merge-openapi.js';
import { PlatformDocs } from './docs/platform-docs.js';
import { gatewayErrors } from './errors.js';
import { createGatewayMetrics } from './metrics/gateway-metrics.js';
import { type ConnectionCap, capConnectionsPerClient } from './proxy/client-connections.js';
import { installProxyListener } from './proxy/proxy-listener.js';
import { UpstreamClients } from './proxy/upstream-clients.js';
import { LocalStore } from './rate-limit/local-store.js';
import type { StoreHealth } from './rate-limit/rate-limit-store.js';
import { RedisStores } from './rate-limit/redis-stores.js';
import { buildSnapshot, type GatewaySnapshot } from './router/gateway-snapshot.js';
import { adminRoutes } from './routes/admin-routes.js';
import { consoleRoutes } from './routes/console-routes.js';
import { docsRoutes } from './routes/docs-routes.js';
import { probeOver } from './upstream/active-health.js';
import { UpstreamRegistry } from './upstream/upstream-registry.js';

export const VERSION = '0.1.0';

export interface GatewayDeps {
  discovery: Discovery;
  /** The kit's authenticator: JWT verifier with its verified-token cache, plus API-key introspection. */
  authenticator: Authenticator;
  /** Shared rate-limit counters; the caller owns the connection and closes it. */
  redis?: Redis | undefined;
  logger?: FastifyBaseLogger;
  processMetrics?: boolean;
}

export interface GatewayControl {
  live: LiveConfig<GatewaySnapshot>;
  upstreams: UpstreamRegistry;
  reload(): Promise<ReloadResult>;
  rateLimitHealth(): StoreHealth;
  /** Open connections per client address, as MAX_CONNECTIONS_PER_CLIENT counts them. */
  clientConnections: ConnectionCap;
}

declare module 'fastify' {
  interface FastifyInstance {
    gateway: GatewayControl;
  }
}

/**
 * Builds the gateway, un-started: loads and validates the declarative config (throwing a
 * GatewayConfigError naming each bad line), resolves upstreams and wires the proxy.
 *
 * @example
 * const app = buildApp(config, { discovery, authenticator });
 * await app.listen({ port: config.PORT, host: config.HOST });
 */
export function buildApp(config: GatewayEnv, deps: GatewayDeps): ServiceApp {
  const app = createService({
    name: 'gateway',
    version: VERSION,
    description: 'The one public entry: routing, authentication, rate limits, transformation, balancing',
    bodyLimit: config.BODY_LIMIT,
    bodyMinBytesPerSecond: config.BODY_MIN_BYTES_PER_SECOND,
    bodyTimeoutMs: config.BODY_TIMEOUT_MS,
    trustProxy: config.TRUST_PROXY,
    authenticator: deps.authenticator,
    logLevel: config.LOG_LEVEL,
    ...(deps.logger ? { logger: deps.logger } : {}),
    ...(deps.processMetrics === undefined ? {} : { processMetrics: deps.processMetrics }),
    // `/docs/json` is the merged document of the whole platform (docs-routes), not the gateway's own.
    docsRoute: false,
  });
  const local = new LocalStore();
  const redis = deps.redis
    ? new RedisStores(deps.redis, local, (h) =>
        app.log[h.status === 'ok' ? 'info' : 'warn']({ rateLimitStore: h }, 'rate-limit store changed'),
      )
    : undefined;
  // Readiness probes go over the instance's own keep-alive pool, whose sockets traffic keeps
  // open, rather than opening a socket per probe (`clients` exists before the first probe runs).
  const upstreams = new UpstreamRegistry(
    deps.discovery,
    app.log,
    (url, path, timeoutMs) => {
      const client = clients.get(url);
      return probeOver(client.pool, undefined, client.basePath + path, timeoutMs);
    },
    {
      size: config.UPSTREAM_SUBSET_SIZE ?? 'auto',
      id: config.UPSTREAM_SUBSET_ID ?? `${hostname()}:${config.PORT}`,
    },
  );
  const stores = { local, redis: redis && ((syncMs: number) => redis.store(syncMs)) };
  // Read synchronously so buildApp stays synchronous like every service's; a bad file throws
  // a GatewayConfigError here, before anything listens.
  const initial = parseGatewayConfig(readFileSync(config.GATEWAY_CONFIG, 'utf8'), config.GATEWAY_CONFIG);
  const live = new LiveConfig<GatewaySnapshot>(
    {
      path: config.GATEWAY_CONFIG,
      onReload: (r) =>
        r.ok
          ? app.log.info({ version: r.version }, 'gateway config reloaded')
          : app.log.error(
              { err: r.error.message },
              'gateway config refused; the previous one stays in force',
            ),
    },
    async (c) => {
      await upstreams.sync(c);
      return buildSnapshot(c, stores);
    },
    buildSnapshot(initial, stores),
  );
  // Instances are resolved from discovery before the server starts taking requests.
  app.addHook('onReady', async () => {
    await upstreams.sync(initial);
  });
  const rateLimitHealth = (): StoreHealth => {
    if (redis) return redis.health();
    const wantsRedis = live.current.table.routes.some((r) => r.limiter && r.limiter.policy === 'redis');
    return wantsRedis
      ? {
          policy: 'local',
          status: 'degraded',
          detail: 'REDIS_URL is not set; routes with the redis policy count locally',
        }
      : { policy: 'local', status: 'ok' };
  };
  const available = () => {
    const out: Record<string, number> = {};
    for (const [name, list] of Object.entries(upstreams.health()))
      out[name] = list.filter((i) => i.available).length;
    return out;
  };
  const metrics = createGatewayMetrics(app.metrics, available, rateLimitHealth);

  // A degraded limiter store keeps the gateway ready (it serves on local limits); the detail says so.
  app.addReadinessCheck('rate-limit-store', async () => rateLimitHealth());
  app.addReadinessCheck('upstreams', async () => available());

  const proxies = parseTrustedProxies(config.TRUST_PROXY);
  const maxConnections = config.MAX_CONNECTIONS_PER_CLIENT;
  const clientConnections = capConnectionsPerClient(app.server, {
    max: maxConnections,
    // Behind a load balancer every connection comes from it: its clients are told apart later.
    exempt: (address) => proxies.trusts(address),
    onRefused: (socket, head) => {
      metrics.connectionsRefused.inc();
      answerOnSocket(
        socket,
        gatewayErrors.GATEWAY_TOO_MANY_CONNECTIONS({ max: maxConnections }),
        requestPath(head),
        { idleMs: 1_000, maxMs: 2_000 },
        { 'retry-after': '1' },
      );
    },
    onFirstRefusal: (address) =>
      app.log.warn(
        { client: address, max: maxConnections },
        'client at MAX_CONNECTIONS_PER_CLIENT; connections refused',
      ),
  });

  app.decorate('gateway', {
    live,
    upstreams,
    reload: () => live.reload(),
    rateLimitHealth,
    clientConnections,
  });

  const connectTimeout = Math.min(...live.current.config.services.map((s) => s.connect_timeout));
  app.register(adminRoutes, { live, upstreams, rateLimitHealth });
  const docs = new PlatformDocs({
    live,
    upstreams,
    own: () => app.swagger() as unknown as OpenApiDoc,
    version: VERSION,
  });
  app.register(docsRoutes, { docs });
  app.register(consoleRoutes, { webDir: config.WEB_DIR });
  const clients = new UpstreamClients({ connectTimeoutMs: connectTimeout });
  // Instances that left discovery give their connection pools back.
  const sweep = setInterval(() => {
    const urls = new Set<string>();
    for (const list of Object.values(upstreams.health())) for (const i of list) urls.add(i.url);
    clients.retain(urls);
  }, 60_000).unref();
  installProxyListener(app, {
    live,
    upstreams,
    clients,
    authenticator: deps.authenticator,
    metrics,
    service: app.metrics,
    log: app.log,
    bodyLimit: config.BODY_LIMIT,
    sendTimeoutMs: config.SEND_TIMEOUT_MS,
    proxies,
    forwardedHeaders: config.FORWARDED_HEADERS,
    draining: () => app.draining,
  });
  app.addHook('onClose', async () => {
    clearInterval(sweep);
    upstreams.close();
    await Promise.all([local.close(), clients.close(), redis?.close()]);
  });
  return app;
}

/** The path of the request line at the start of `head` (for the problem's `instance`), `/` if there is none. */
function requestPath(head: Buffer): string {
  const line = head.toString('latin1', 0, Math.min(head.length, 2048));
  const m = /^[A-Z]+ (\/[^\s?]*)/.exec(line);
  return m?.[1] ?? '/';
}
