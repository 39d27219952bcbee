import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { StoreHealth } from '../rate-limit/rate-limit-store.js';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface GatewayMetrics {
  requests: Counter<'route' | 'upstream' | 'method' | 'status_code'>;
  duration: Histogram<'route' | 'upstream'>;
  upstreamErrors: Counter<'upstream' | 'kind'>;
  rateLimited: Counter<'route'>;
  instancesAvailable: Gauge<'upstream'>;
  redisDegraded: Gauge;
}

/** RED metrics per gateway route, upstream and status, on the service's own registry. */
export function createGatewayMetrics(
  registry: Registry,
  available: () => Record<string, number>,
  rateLimitHealth: () => StoreHealth,
): GatewayMetrics {
  return {
    requests: new Counter({
      name: 'gateway_requests_total',
      help: 'Requests through the gateway, by route, upstream, method and status code',
      labelNames: ['route', 'upstream', 'method', 'status_code'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'gateway_request_duration_seconds',
      help: 'Time from request to response through the gateway, by route and upstream',
      labelNames: ['route', 'upstream'] as const,
      buckets: BUCKETS,
      registers: [registry],
    }),
    upstreamErrors: new Counter({
      name: 'gateway_upstream_errors_total',
      help: 'Failed upstream attempts, by upstream and kind (connect, reset, timeout, other)',
      labelNames: ['upstream', 'kind'] as const,
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'gateway_rate_limited_total',
      help: 'Requests refused by a rate limit, by route',
      labelNames: ['route'] as const,
      registers: [registry],
    }),
    instancesAvailable: new Gauge({
      name: 'gateway_upstream_instances_available',
      help: 'Instances of each upstream currently in rotation',
      labelNames: ['upstream'] as const,
      registers: [registry],
      collect() {
        for (const [upstream, n] of Object.entries(available())) this.set({ upstream }, n);
      },
    }),
    redisDegraded: new Gauge({
      name: 'opsmesh_ratelimit_redis_degraded',
      help: 'Whether routes with the redis rate-limit policy count locally only (1) because Redis is unreachable or not configured, or share counts through Redis (0)',
      registers: [registry],
      collect() {
        this.set(rateLimitHealth().status === 'degraded' ? 1 : 0);
      },
    }),
  };
}
