import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { SeriesCounter, SeriesHistogram } from './series-metrics.js';

/** Buckets for request durations, in seconds: 1 ms to 10 s. */
export const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface ServiceMetrics {
  registry: Registry;
  /** prom-client metrics whose series a hot path can also hold (`series(labels)`). */
  requests: SeriesCounter<'method' | 'route' | 'status_code'>;
  duration: SeriesHistogram<'method' | 'route'>;
}

/**
 * A registry per service instance (never the global one, so tests can build many apps), with the
 * process metrics and the RED metrics every service exports under one set of names:
 * `http_requests_total{service,method,route,status_code}` and
 * `http_request_duration_seconds{service,method,route}`.
 */
export function createServiceMetrics(
  service: string,
  options: { defaultMetrics?: boolean } = {},
): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (options.defaultMetrics !== false)
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  const requests = new SeriesCounter({
    name: 'http_requests_total',
    help: 'HTTP requests handled, by route and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
  });
  const duration = new SeriesHistogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by route',
    labelNames: ['method', 'route'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  return { registry, requests, duration };
}

const UNTRACKED = new Set(['/metrics', '/health/live', '/health/ready']);

/** Records RED metrics for every routed request, and serves `/metrics`. */
export function installMetrics(app: FastifyInstance, metrics: ServiceMetrics): void {
  const starts = new WeakMap<object, bigint>();
  app.addHook('onRequest', async (request) => {
    starts.set(request, process.hrtime.bigint());
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (UNTRACKED.has(route)) return;
    const start = starts.get(request);
    const method = request.method;
    metrics.requests.inc({ method, route, status_code: String(reply.statusCode) });
    if (start !== undefined && request.routeOptions.config?.longPoll !== true) {
      metrics.duration.observe({ method, route }, Number(process.hrtime.bigint() - start) / 1e9);
    }
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
