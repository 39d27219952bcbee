import type { IncomingHttpHeaders } from 'node:http';
import {
  type Attributes,
  type Context,
  context,
  createContextKey,
  INVALID_SPAN_CONTEXT,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  type SpanOptions,
  SpanStatusCode,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';

/** The scope of every span the kit makes: its tracer's and its recorded spans' (`RecordedSpan`). */
export const KIT_SCOPE: Readonly<{ name: string; version: string }> = Object.freeze({
  name: '@opsmesh/shared',
  version: '0.1.0',
});

const REQUEST_ID = createContextKey('opsmesh.request_id');

let kit: { provider: TracerProvider; delegate: unknown; tracer: Tracer } | undefined;

/**
 * The tracer every part of the kit makes its spans with. It is kept while the same SDK stays
 * registered: asking the SDK for it builds a lookup key each time, 0.4 µs of every proxied
 * request's CPU in the gateway's profile (bench/gateway, tracing block).
 */
export function kitTracer(): Tracer {
  const provider = trace.getTracerProvider();
  // The global provider is a proxy whose delegate is the registered SDK (none yet: a no-op).
  const delegate = (provider as { getDelegate?: () => unknown }).getDelegate?.();
  if (kit?.provider !== provider || kit.delegate !== delegate) {
    kit = { provider, delegate, tracer: provider.getTracer(KIT_SCOPE.name, KIT_SCOPE.version) };
  }
  return kit.tracer;
}

/** The request id carried by the active context (set for each incoming request), if any. */
export function activeRequestId(ctx: Context = context.active()): string | undefined {
  return ctx.getValue(REQUEST_ID) as string | undefined;
}

/** A context that also carries the request id, so calls made under it pass it on. */
export function withRequestId(ctx: Context, requestId: string): Context {
  return ctx.setValue(REQUEST_ID, requestId);
}

/** Trace and span ids of the active span, as log fields (`trace_id`, `span_id`), or undefined. */
export function activeLogIds(
  ctx: Context = context.active(),
): { trace_id: string; span_id: string } | undefined {
  const span = trace.getSpan(ctx);
  if (!span) return undefined;
  const sc = span.spanContext();
  return { trace_id: sc.traceId, span_id: sc.spanId };
}

/** The W3C `traceparent` of a span, or undefined when it has no valid context (no SDK registered). */
export function traceparentOf(span: Span): string | undefined {
  const sc = span.spanContext();
  if (!isSpanContextValid(sc)) return undefined;
  return `00-${sc.traceId}-${sc.spanId}-${(sc.traceFlags & 1) === 1 ? '01' : '00'}`;
}

/**
 * Starts the server span of an incoming request as a child of the caller's `traceparent` (and
 * with its `tracestate` and `baggage`), and the context its handling runs in: that span, and the
 * request id; `attributes: null` makes no span. With no SDK registered the span is a no-op and the caller's context passes through.
 *
 * @example
 * const { span, ctx } = startServerSpan(req.headers, 'GET', { 'url.path': '/models' }, 'req_1');
 * context.with(ctx, handle); span.end();
 */
export function startServerSpan(
  headers: IncomingHttpHeaders,
  name: string,
  attributes: Attributes | null,
  requestId: string,
): { span: Span; ctx: Context } {
  const { span, parent } = serverSpan(headers, name, attributes);
  return { span, ctx: serverContext(parent, span, requestId) };
}

/**
 * The server span of {@link startServerSpan} and the caller's context it continues, without
 * the context the handling runs in: a caller that needs that context only for a sampled span
 * makes it with {@link serverContext} then (two contexts cost ~0.25 µs of a request's path).
 */
export function serverSpan(
  headers: IncomingHttpHeaders,
  name: string,
  attributes: Attributes | null,
): { span: Span; parent: Context } {
  const parent = propagation.extract(ROOT_CONTEXT, headers);
  // No attributes: a request that makes no span of its own (a probe) passes the caller's on.
  const span =
    attributes === null
      ? trace.wrapSpanContext(trace.getSpanContext(parent) ?? INVALID_SPAN_CONTEXT)
      : kitTracer().startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  return { span, parent };
}

/** The context a request's handling runs in: its server span and its request id. */
export function serverContext(parent: Context, span: Span, requestId: string): Context {
  return withRequestId(trace.setSpan(parent, span), requestId);
}

/**
 * Runs `work` in a new span, a child of the active one (or a new trace when there is none, as
 * for a scrape or a timer), ending it when `work` settles and marking it failed if it throws.
 *
 * @example
 * await inSpan('monitoring.scrape', { 'opsmesh.targets': 5 }, () => scrapeAll());
 */
export async function inSpan<T>(
  name: string,
  attributes: Attributes,
  work: (span: Span) => Promise<T> | T,
  options: SpanOptions & { root?: boolean } = {},
): Promise<T> {
  const parent = options.root ? ROOT_CONTEXT : context.active();
  const span = kitTracer().startSpan(name, { kind: SpanKind.INTERNAL, ...options, attributes }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (err) {
    failSpan(span, err);
    throw err;
  } finally {
    span.end();
  }
}

/**
 * Ends a request's server span once answered: named after the route (`unmatched` without one),
 * with the status code, and failed only for a 5xx (a 4xx is the caller's fault, per the HTTP
 * semantic conventions). A span that is not recording is left alone.
 *
 * @example
 * endServerSpan(span, 'POST', '/v2/models/:model/infer', 200);
 */
export function endServerSpan(
  span: Span | null,
  method: string,
  route: string | undefined,
  status: number,
): void {
  if (!span?.isRecording()) return;
  span.updateName(`${method} ${route ?? 'unmatched'}`);
  span.setAttribute('http.route', route ?? 'unmatched');
  span.setAttribute('http.response.status_code', status);
  if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/** Marks a span failed with the error as an exception event. */
export function failSpan(span: Span, err: unknown): void {
  if (err instanceof Error) span.recordException(err);
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}
