import type { IncomingHttpHeaders } from 'node:http';
import {
  type Attributes,
  isSpanContextValid,
  type Span,
  type SpanContext,
  SpanKind,
  trace,
} from '@opentelemetry/api';
import { parseTraceParent, TraceState } from '@opentelemetry/core';
import { randomHex } from '../ids/random-pool.js';
import { RecordedSpan, type SpanSink } from './recorded-span.js';

/**
 * The sampler `OTEL_TRACES_SAMPLER` / `OTEL_TRACES_SAMPLER_ARG` configure in the SDK, as data:
 * whether a valid incoming parent decides (`parentBased`), and which root trace ids are sampled
 * (`always` true or false for all, else the trace-id ratio rule against `upperBound`).
 */
export interface SamplingRule {
  readonly parentBased: boolean;
  /** Root (or non-parent-based) decision for every trace id: `true` on, `false` off, or by ratio. */
  readonly always: boolean | undefined;
  /** `floor(ratio * 0xffffffff)`, as the SDK's `TraceIdRatioBasedSampler` computes it. */
  readonly upperBound: number;
}

/**
 * The rule the SDK builds from the environment (it reads `process.env` when the provider is made
 * without a sampler, as `setupTracing` makes it), or undefined for a value it does not mirror:
 * then every request goes through the SDK's own sampler. Same defaults as the SDK: no sampler
 * is `parentbased_always_on`; a blank, non-numeric or out-of-range ratio is 1.
 *
 * @example
 * samplingRuleFromEnv({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' })
 * // { parentBased: true, always: undefined, upperBound: 429496729 }
 */
export function samplingRuleFromEnv(env: NodeJS.ProcessEnv): SamplingRule | undefined {
  const raw = env['OTEL_TRACES_SAMPLER'];
  const name = raw == null || raw.trim() === '' ? 'parentbased_always_on' : raw;
  switch (name) {
    case 'always_on':
      return { parentBased: false, always: true, upperBound: 0 };
    case 'always_off':
      return { parentBased: false, always: false, upperBound: 0 };
    case 'parentbased_always_on':
      return { parentBased: true, always: true, upperBound: 0 };
    case 'parentbased_always_off':
      return { parentBased: true, always: false, upperBound: 0 };
    case 'traceidratio':
      return { parentBased: false, always: undefined, upperBound: upperBound(env) };
    case 'parentbased_traceidratio':
      return { parentBased: true, always: undefined, upperBound: upperBound(env) };
    default:
      return undefined;
  }
}

/** The SDK's ratio from `OTEL_TRACES_SAMPLER_ARG` (1 when blank or out of range), as its bound. */
function upperBound(env: NodeJS.ProcessEnv): number {
  const raw = env['OTEL_TRACES_SAMPLER_ARG'];
  let ratio = raw == null || raw.trim() === '' ? Number.NaN : Number(raw);
  if (Number.isNaN(ratio) || ratio < 0 || ratio > 1) ratio = 1;
  return Math.floor(ratio * 0xffffffff);
}

/**
 * The 32-bit value the SDK's `TraceIdRatioBasedSampler` compares with its bound: the XOR of the
 * trace id's four 8-hex-digit words.
 */
export function traceIdBucket(traceId: string): number {
  let acc = 0;
  for (let i = 0; i < 32; i += 8) {
    let word = 0;
    for (let j = i; j < i + 8; j++) {
      const c = traceId.charCodeAt(j);
      word = (word << 4) | (c <= 57 ? c - 48 : (c | 32) - 87); // '0'-'9', then 'a'-'f' / 'A'-'F'
    }
    acc = (acc ^ word) >>> 0;
  }
  return acc;
}

/** Whether a root (or non-parent-based) decision samples this trace id. */
export function rootSampled(rule: SamplingRule, traceId: string): boolean {
  if (rule.always !== undefined) return rule.always;
  return traceIdBucket(traceId) < rule.upperBound;
}

let mirrored: { provider: unknown; rule: SamplingRule; sink: SpanSink } | undefined;

/**
 * Records the rule of a provider about to be registered, and where spans the kit records itself
 * go (its resource and span processors); `setupTracing` calls it.
 */
export function mirrorSampling(provider: unknown, rule: SamplingRule | undefined, sink: SpanSink): void {
  mirrored = rule ? { provider, rule, sink } : undefined;
}

/** The mirrored rule and sink while their provider is the registered one, else undefined. */
function active(): { rule: SamplingRule; sink: SpanSink } | undefined {
  if (!mirrored) return undefined;
  const global = trace.getTracerProvider() as { getDelegate?: () => unknown };
  return global.getDelegate?.() === mirrored.provider ? mirrored : undefined;
}

/** What {@link chooseTrace} decided for a request: its ids, its caller's span and the verdict. */
export interface TraceChoice {
  /** The caller's trace id, or a new one. */
  readonly traceId: string;
  /** A new span id for this hop's server span. */
  readonly spanId: string;
  /** The caller's span (remote, with its `tracestate`), when it sent a valid `traceparent`. */
  readonly parent: SpanContext | undefined;
  readonly sampled: boolean;
  /** The `traceparent` this hop sends on: its trace, its span, its verdict. */
  readonly traceparent: string;
  /** Where a sampled span the kit records itself goes ({@link RecordedSpan}). */
  readonly sink: SpanSink;
}

/**
 * The configured sampler's decision for an incoming request, made without the SDK, and the ids
 * of the request's server span. Undefined when only the SDK can tell: no SDK registered by
 * `setupTracing`, or a sampler not mirrored here. Parent-based samplers honour a valid incoming
 * `traceparent`'s sampled flag, parsed as the SDK's propagator parses it; otherwise the trace-id
 * ratio rule decides, so the decision for a trace id is the SDK's. Making a non-recording span,
 * sampling and two ids through the SDK cost ~2 µs of each unsampled proxied request in the
 * gateway's profile (bench/gateway, tracing block).
 *
 * @example
 * chooseTrace({ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00' })
 * // { traceId: '0af7…319c', spanId: <new>, parent: { spanId: 'b7ad6b7169203331', isRemote: true, … },
 * //   sampled: false, traceparent: '00-0af7651916cd43dd8448eb211c80319c-<new span id>-00', … }
 */
export function chooseTrace(headers: IncomingHttpHeaders): TraceChoice | undefined {
  const on = active();
  if (!on) return undefined;
  const { rule } = on;
  const incoming = headers.traceparent;
  const first = Array.isArray(incoming) ? incoming[0] : incoming;
  let parsed = typeof first === 'string' && first !== '' ? parseTraceParent(first) : null;
  // An all-zero id parses but is no parent to the SDK: it starts a trace of its own.
  if (parsed && !isSpanContextValid(parsed)) parsed = null;
  let parent: SpanContext | undefined;
  if (parsed) {
    const state = headers.tracestate;
    const raw = Array.isArray(state) ? state.join(',') : state;
    parent = { ...parsed, isRemote: true, ...(raw ? { traceState: new TraceState(raw) } : {}) };
  }
  const traceId = parsed ? parsed.traceId : newId(16);
  let sampled: boolean;
  if (parsed && rule.parentBased) sampled = (parsed.traceFlags & 1) === 1;
  else if (rule.always !== undefined) sampled = rule.always;
  else sampled = traceIdBucket(traceId) < rule.upperBound;
  const spanId = newId(8);
  return {
    traceId,
    spanId,
    parent,
    sampled,
    traceparent: `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`,
    sink: on.sink,
  };
}

/**
 * The server span of a request {@link chooseTrace} sampled, recorded by the kit
 * ({@link RecordedSpan}) and handed to the registered SDK's span processors when it ends.
 *
 * @example
 * if (choice.sampled) recordServerSpan(choice, 'GET', performance.now(), { 'url.path': '/models' }).end();
 */
export function recordServerSpan(
  choice: TraceChoice,
  name: string,
  startMs: number,
  attributes: Attributes,
): RecordedSpan {
  const context: SpanContext = {
    traceId: choice.traceId,
    spanId: choice.spanId,
    traceFlags: 1,
    ...(choice.parent?.traceState ? { traceState: choice.parent.traceState } : {}),
  };
  return new RecordedSpan(choice.sink, name, SpanKind.SERVER, context, choice.parent, startMs, attributes);
}

/** The kit's id generator for the SDK: ids from the kit's random pool (the SDK's own calls the CSPRNG per id, ~0.2 µs each in the gateway's profile). */
export const kitIdGenerator = {
  generateTraceId(): string {
    return newId(16);
  },
  generateSpanId(): string {
    return newId(8);
  },
};

const ZERO_16 = '0000000000000000';

/** Random hex id from the kit's pool; an all-zero one (invalid in W3C) ends in 1, as the SDK does. */
function newId(bytes: number): string {
  const id = randomHex(bytes);
  if (id === ZERO_16 || id === ZERO_16 + ZERO_16) return `${id.slice(0, -1)}1`;
  return id;
}

/**
 * The non-recording span of a request {@link chooseTrace} did not sample: its trace and span ids
 * are those sent on, for log lines, and it records nothing.
 */
export function unsampledSpan(choice: TraceChoice): Span {
  return trace.wrapSpanContext({ traceId: choice.traceId, spanId: choice.spanId, traceFlags: 0 });
}
