import { randomHex } from '../ids/random-pool.js';

/** A W3C trace context (`traceparent`), enough to join and continue a distributed trace. */
export interface TraceContext {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  sampled: boolean;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * Continues the caller's trace with a new span, or starts a trace when the header is absent or invalid.
 *
 * @example
 * const ctx = continueTrace(req.headers.traceparent); formatTraceparent(ctx) // '00-<trace>-<span>-01'
 */
export function continueTrace(header: string | string[] | undefined): TraceContext {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value ? TRACEPARENT.exec(value.trim().toLowerCase()) : null;
  if (match && !/^0+$/.test(match[1]!) && !/^0+$/.test(match[2]!)) {
    return {
      traceId: match[1]!,
      parentSpanId: match[2]!,
      spanId: randomHex(8),
      sampled: (Number.parseInt(match[3]!, 16) & 1) === 1,
    };
  }
  return {
    traceId: randomHex(16),
    spanId: randomHex(8),
    parentSpanId: undefined,
    sampled: true,
  };
}

/** Starts a child span for an outgoing call. */
export function childSpan(parent: TraceContext): TraceContext {
  return {
    traceId: parent.traceId,
    parentSpanId: parent.spanId,
    spanId: randomHex(8),
    sampled: parent.sampled,
  };
}

export function formatTraceparent(ctx: TraceContext): string {
  return `00-${ctx.traceId}-${ctx.spanId}-${ctx.sampled ? '01' : '00'}`;
}
