import type { IncomingHttpHeaders } from 'node:http';
import { type Span, trace } from '@opentelemetry/api';
import { parseTraceParent } from '@opentelemetry/core';
import { randomHex } from '../ids/random-pool.js';

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

let mirrored: { provider: unknown; rule: SamplingRule } | undefined;

/** Records the rule of a provider about to be registered; `setupTracing` calls it. */
export function mirrorSampling(provider: unknown, rule: SamplingRule | undefined): void {
  mirrored = rule ? { provider, rule } : undefined;
}

/** The mirrored rule while its provider is the registered one, else undefined. */
function activeRule(): SamplingRule | undefined {
  if (!mirrored) return undefined;
  const global = trace.getTracerProvider() as { getDelegate?: () => unknown };
  return global.getDelegate?.() === mirrored.provider ? mirrored.rule : undefined;
}

/**
 * The configured sampler's decision for an incoming request, made without the SDK. Not
 * sampled: the outgoing `traceparent` (the caller's trace id or a new one, a new parent span
 * id, flags `00`), and no span needs making. `true`: sampled, the SDK makes its spans (a new
 * trace gets the trace id decided on). Undefined when only the SDK can tell: no SDK registered
 * by `setupTracing`, or a sampler not mirrored here. Parent-based samplers honour a
 * valid incoming `traceparent`'s sampled flag, parsed as the SDK's propagator parses it;
 * otherwise the trace-id ratio rule decides, so the decision for a trace id is the SDK's.
 * Making a non-recording span, sampling and two ids through the SDK cost ~2 µs of each
 * unsampled proxied request in the gateway's profile (bench/gateway, tracing block).
 *
 * @example
 * traceDecision({ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00' })
 * // '00-0af7651916cd43dd8448eb211c80319c-<new span id>-00'
 */
export function traceDecision(headers: IncomingHttpHeaders): string | true | undefined {
  const rule = activeRule();
  if (!rule) return undefined;
  const incoming = headers.traceparent;
  const first = Array.isArray(incoming) ? incoming[0] : incoming;
  const parent = typeof first === 'string' && first !== '' ? parseTraceParent(first) : null;
  if (parent && rule.parentBased) {
    return (parent.traceFlags & 1) === 1 ? true : `00-${parent.traceId}-${newId(8)}-00`;
  }
  if (rule.always === true) return true;
  const traceId = parent ? parent.traceId : newId(16);
  if (rule.always === undefined && traceIdBucket(traceId) < rule.upperBound) {
    // Sampled: the SDK's span must get the trace id decided on, not draw another.
    if (!parent) presetTraceId = traceId;
    return true;
  }
  return `00-${traceId}-${newId(8)}-00`;
}

let presetTraceId: string | undefined;

/**
 * The kit's id generator for the SDK: ids from the kit's random pool (the SDK's own calls the
 * CSPRNG per id, ~0.2 µs each in the gateway's profile), and the next root trace id the one
 * {@link traceDecision} sampled, so the SDK's span has the trace id the decision was for.
 */
export const kitIdGenerator = {
  generateTraceId(): string {
    const preset = presetTraceId;
    if (preset !== undefined) {
      presetTraceId = undefined;
      return preset;
    }
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
 * The non-recording span of a request {@link traceDecision} did not sample: its trace and span ids
 * are those sent on, for log lines, and it records nothing.
 */
export function unsampledSpan(traceparent: string): Span {
  return trace.wrapSpanContext({
    traceId: traceparent.slice(3, 35),
    spanId: traceparent.slice(36, 52),
    traceFlags: 0,
  });
}
