import {
  type CounterSeries,
  type HistogramSeries,
  SeriesCounter,
  SeriesHistogram,
  type ServiceMetrics,
} from '@opsmesh/shared';
import { Counter, Gauge } from 'prom-client';
import type { StoreHealth } from '../rate-limit/rate-limit-store.js';
import type { CompiledRoute } from '../router/compiled-route.js';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The route label of proxied requests in the kit's RED metrics, as when Fastify's `/*` route served them. */
export const KIT_ROUTE = '/*';

export interface GatewayMetrics {
  requests: SeriesCounter<'route' | 'upstream' | 'method' | 'status_code'>;
  duration: SeriesHistogram<'route' | 'upstream'>;
  upstreamErrors: Counter<'upstream' | 'kind'>;
  rateLimited: Counter<'route'>;
  connectionsRefused: Counter;
  instancesAvailable: Gauge<'upstream'>;
  redisDegraded: Gauge;
  /**
   * Counts a proxied request and observes its duration, in the gateway's RED metrics and in the
   * kit's (route `/*`), which the monitoring service reads.
   */
  exchange(route: CompiledRoute | undefined, method: string, status: number, seconds: number): void;
}

/** The four series one route, method and status of request lands in. */
interface ExchangeSeries {
  requests: CounterSeries;
  duration: HistogramSeries;
  kitRequests: CounterSeries;
  kitDuration: HistogramSeries;
}

/** RED metrics per gateway route, upstream and status, on the service's own registry. */
export function createGatewayMetrics(
  service: ServiceMetrics,
  available: () => Record<string, number>,
  rateLimitHealth: () => StoreHealth,
): GatewayMetrics {
  const registry = service.registry;
  const requests = new SeriesCounter({
    name: 'gateway_requests_total',
    help: 'Requests through the gateway, by route, upstream, method and status code',
    labelNames: ['route', 'upstream', 'method', 'status_code'] as const,
    registers: [registry],
  });
  const duration = new SeriesHistogram({
    name: 'gateway_request_duration_seconds',
    help: 'Time from request to response through the gateway, by route and upstream',
    labelNames: ['route', 'upstream'] as const,
    buckets: BUCKETS,
    registers: [registry],
  });
  // The series of each route (keyed by the route object, so a reloaded config's routes start
  // afresh and the old ones go with their config), method and status, made on the first such
  // request. Node parses only known methods and a status is three digits, so the maps stay
  // small. Four prom-client calls hashing label objects cost ~1.5 µs a request; four held
  // series ~25 ns plus these lookups (packages/shared/test/series-metrics.test.ts prints it).
  const byRoute = new WeakMap<object, Map<string, Map<number, ExchangeSeries>>>();
  const unmatched = {};
  const exchange = (route: CompiledRoute | undefined, method: string, status: number, seconds: number) => {
    const owner = route ?? unmatched;
    let byMethod = byRoute.get(owner);
    if (!byMethod) {
      byMethod = new Map();
      byRoute.set(owner, byMethod);
    }
    let byStatus = byMethod.get(method);
    if (!byStatus) {
      byStatus = new Map();
      byMethod.set(method, byStatus);
    }
    let s = byStatus.get(status);
    if (!s) {
      const labels = { route: route?.name ?? 'unmatched', upstream: route?.service.upstream ?? 'none' };
      const status_code = String(status);
      s = {
        requests: requests.series({ ...labels, method, status_code }),
        duration: duration.series(labels),
        kitRequests: service.requests.series({ method, route: KIT_ROUTE, status_code }),
        kitDuration: service.duration.series({ method, route: KIT_ROUTE }),
      };
      byStatus.set(status, s);
    }
    s.requests.inc();
    s.duration.observe(seconds);
    s.kitRequests.inc();
    s.kitDuration.observe(seconds);
  };
  return {
    exchange,
    requests,
    duration,
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
    connectionsRefused: new Counter({
      name: 'gateway_connections_refused_total',
      help: 'Connections refused because their client address already held MAX_CONNECTIONS_PER_CLIENT open',
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
