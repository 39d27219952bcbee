import type { IncomingMessage } from 'node:http';
import { type Identity, nowNs, type TraceContext } from '@opsmesh/shared';
import type { CompiledRoute } from '../router/compiled-route.js';
import type { UpstreamInstance } from '../upstream/upstream-instance.js';
import type { ProxyContext } from './proxy-context.js';

/** The route label of proxied requests in the kit's RED metrics, as when Fastify's `/*` route served them. */
const KIT_ROUTE = '/*';

/** What a proxied request's log lines, metrics and spans are made from. */
export interface ExchangeFacts {
  readonly req: IncomingMessage;
  /** `performance.now()` at arrival. */
  readonly started: number;
  /** Span start, only taken when spans are exported. */
  readonly startNs: bigint | undefined;
  readonly requestId: string;
  readonly trace: TraceContext;
  readonly path: string;
  readonly route: CompiledRoute | undefined;
  readonly identity: Identity | null;
  readonly instance: UpstreamInstance | undefined;
  readonly attempts: number;
  readonly status: number;
  /** Path and query sent upstream. */
  readonly target: string;
  /** The span of the upstream call, whose id the upstream saw as its parent. */
  readonly upstreamSpan: TraceContext | undefined;
}

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/** Whether a line of this level would be written, checked before building its fields. */
export function logEnabled(log: { level: string }, level: string): boolean {
  return LEVELS[level]! >= (LEVELS[log.level] ?? Number.POSITIVE_INFINITY);
}

/**
 * A log line bound to the request as the kit's request loggers are (`requestId`, `traceId`,
 * `spanId`), without making a child logger per request.
 */
export function logExchange(
  ctx: ProxyContext,
  x: ExchangeFacts,
  level: 'info' | 'warn' | 'error',
  fields: Record<string, unknown>,
  message: string,
): void {
  if (!logEnabled(ctx.log, level)) return;
  ctx.log[level](
    { requestId: x.requestId, traceId: x.trace.traceId, spanId: x.trace.spanId, ...fields },
    message,
  );
}

/** RED metrics (the gateway's and the kit's), spans and the access line of a finished request. */
export function recordExchange(ctx: ProxyContext, x: ExchangeFacts): void {
  const method = x.req.method ?? 'GET';
  const seconds = (performance.now() - x.started) / 1000;
  const route = x.route?.name ?? 'unmatched';
  const upstream = x.route?.service.upstream ?? 'none';
  const statusCode = String(x.status);
  ctx.metrics.requests.inc({ route, upstream, method, status_code: statusCode });
  ctx.metrics.duration.observe({ route, upstream }, seconds);
  ctx.service.requests.inc({ method, route: KIT_ROUTE, status_code: statusCode });
  ctx.service.duration.observe({ method, route: KIT_ROUTE }, seconds);
  if (x.startNs !== undefined && x.trace.sampled) exportSpans(ctx, x, method, route, upstream);
  if (!logEnabled(ctx.log, 'info')) return;
  logExchange(
    ctx,
    x,
    'info',
    {
      method,
      url: x.path,
      route: KIT_ROUTE,
      statusCode: x.status,
      durationMs: Math.round(seconds * 100_000) / 100,
      subject: x.identity?.subject,
      gatewayRoute: x.route?.name,
      upstream: x.route?.service.upstream,
      instance: x.instance?.url,
      attempts: x.attempts,
    },
    'request completed',
  );
}

/** The server span of the request and, once it went upstream, the client span of that call. */
function exportSpans(
  ctx: ProxyContext,
  x: ExchangeFacts,
  method: string,
  route: string,
  upstream: string,
): void {
  const end = nowNs();
  const error = x.status >= 500;
  ctx.exporter.export({
    traceId: x.trace.traceId,
    spanId: x.trace.spanId,
    parentSpanId: x.trace.parentSpanId,
    name: `${method} ${KIT_ROUTE}`,
    kind: 2,
    startNs: x.startNs!,
    endNs: end,
    attributes: {
      'http.request.method': method,
      'http.route': KIT_ROUTE,
      'http.response.status_code': x.status,
      'url.path': x.path,
      'opsmesh.request_id': x.requestId,
      'opsmesh.gateway.route': route,
    },
    error,
  });
  const span = x.upstreamSpan;
  if (!span) return;
  ctx.exporter.export({
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: `${method} ${upstream}`,
    kind: 3,
    startNs: x.startNs!,
    endNs: end,
    attributes: {
      'http.request.method': method,
      'server.address': upstream,
      'url.full': (x.instance?.url ?? '') + x.target,
      'opsmesh.gateway.attempts': x.attempts,
      'http.response.status_code': x.status,
    },
    error,
  });
}
