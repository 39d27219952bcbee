import type { IncomingMessage } from 'node:http';
import { type Span, SpanStatusCode } from '@opentelemetry/api';
import type { Identity } from '@opsmesh/shared';
import { KIT_ROUTE } from '../metrics/gateway-metrics.js';
import type { CompiledRoute } from '../router/compiled-route.js';
import type { UpstreamInstance } from '../upstream/upstream-instance.js';
import type { ProxyContext } from './proxy-context.js';
import type { UpstreamClient } from './upstream-clients.js';

/** What a proxied request's log lines, metrics and spans are made from. */
export interface ExchangeFacts {
  readonly req: IncomingMessage;
  /** `performance.now()` at arrival. */
  readonly started: number;
  readonly requestId: string;
  /** The server span: a no-op one when the trace is not sampled. */
  readonly span: Span;
  readonly path: string;
  readonly route: CompiledRoute | undefined;
  readonly identity: Identity | null;
  readonly instance: UpstreamInstance | undefined;
  readonly attempts: number;
  readonly status: number;
  /** The connection pool of the instance last tried, and its span attributes. */
  readonly upstreamClient: UpstreamClient | undefined;
  /** The forwarded client's address, once known. */
  readonly clientAddress: string | undefined;
  /** The status the upstream answered with; 0 when it gave none (unreachable, timed out). */
  readonly upstreamStatus: number;
  /**
   * Milliseconds from the answering attempt's dispatch to the upstream's answer headers, or to
   * the last attempt's failure; measured for sampled requests only, else -1.
   */
  readonly upstreamMs: number;
}

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/** Whether a line of this level would be written, checked before building its fields. */
export function logEnabled(log: { level: string }, level: string): boolean {
  return LEVELS[level]! >= (LEVELS[log.level] ?? Number.POSITIVE_INFINITY);
}

/**
 * A log line bound to the request as the kit's request loggers are (`requestId`, `trace_id`,
 * `span_id`), without making a child logger per request.
 */
export function logExchange(
  ctx: ProxyContext,
  x: ExchangeFacts,
  level: 'info' | 'warn' | 'error',
  fields: Record<string, unknown>,
  message: string,
): void {
  if (!logEnabled(ctx.log, level)) return;
  const sc = x.span.spanContext();
  ctx.log[level]({ requestId: x.requestId, trace_id: sc.traceId, span_id: sc.spanId, ...fields }, message);
}

/** RED metrics (the gateway's and the kit's), spans and the access line of a finished request. */
export function recordExchange(ctx: ProxyContext, x: ExchangeFacts): void {
  const method = x.req.method ?? 'GET';
  const seconds = (performance.now() - x.started) / 1000;
  ctx.metrics.exchange(x.route, method, x.status, seconds);
  if (x.span.isRecording()) endExchangeSpan(x, method, x.route?.name ?? 'unmatched');
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

/**
 * Ends the request's one span: the server span, which also says what the upstream did (which
 * instance, its status, how long it took, how many attempts), as a proxy's span does. The
 * upstream's own server span is its child; there is no client span between them (README,
 * Tracing: half the sampled cost). Exported for bench/gateway/exchange-span.ts.
 */
export function endExchangeSpan(x: ExchangeFacts, method: string, route: string): void {
  const span = x.span;
  span.updateName(`${method} ${route}`);
  span.setAttribute('opsmesh.gateway.route', route);
  span.setAttribute('http.response.status_code', x.status);
  if (x.clientAddress) span.setAttribute('client.address', x.clientAddress);
  if (x.upstreamClient) {
    span.setAttribute('opsmesh.upstream.name', x.route!.service.upstream);
    span.setAttributes(x.upstreamClient.spanAttributes);
    span.setAttribute('opsmesh.upstream.attempts', x.attempts);
    if (x.upstreamStatus) span.setAttribute('opsmesh.upstream.status_code', x.upstreamStatus);
    if (x.upstreamMs >= 0) span.setAttribute('opsmesh.upstream.duration_ms', x.upstreamMs);
  }
  if (x.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}
