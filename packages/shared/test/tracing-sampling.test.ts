import type { IncomingHttpHeaders } from 'node:http';
import { isSpanContextValid, ROOT_CONTEXT, SamplingDecision, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, type Sampler } from '@opentelemetry/sdk-trace-node';
import { afterEach, describe, expect, it } from 'vitest';
import { randomHex } from '../src/ids/random-pool.js';
import { kitTracer, serverSpan } from '../src/service/trace-context.js';
import {
  chooseTrace,
  samplingRuleFromEnv,
  type TraceChoice,
  traceIdBucket,
  unsampledSpan,
} from '../src/tracing/sampling-mirror.js';
import { setupTracing, type Tracing } from '../src/tracing/setup-tracing.js';

const SAMPLER_VARS = ['OTEL_TRACES_SAMPLER', 'OTEL_TRACES_SAMPLER_ARG'] as const;
const saved = SAMPLER_VARS.map((v) => process.env[v]);
let tracing: Tracing | undefined;

afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
  SAMPLER_VARS.forEach((v, i) => {
    if (saved[i] === undefined) delete process.env[v];
    else process.env[v] = saved[i];
  });
});

/** Registers the kit's SDK with this sampler configuration, as a service process does. */
function start(sampler: string | undefined, arg: string | undefined): InMemorySpanExporter {
  for (const [name, value] of [
    ['OTEL_TRACES_SAMPLER', sampler],
    ['OTEL_TRACES_SAMPLER_ARG', arg],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  const memory = new InMemorySpanExporter();
  tracing = setupTracing({ serviceName: 'sampling', env: {}, exporters: [memory], simple: true });
  return memory;
}

/** The sampler the SDK built from the environment: the one its tracer asks. */
function sdkSampler(): Sampler {
  return (kitTracer() as unknown as { _sampler: Sampler })._sampler;
}

function sdkSamples(traceId: string): boolean {
  const result = sdkSampler().shouldSample(ROOT_CONTEXT, traceId, 'x', 1, {}, []);
  return result.decision === SamplingDecision.RECORD_AND_SAMPLED;
}

const CONFIGS: [string | undefined, string | undefined][] = [
  ['parentbased_traceidratio', '0.1'],
  ['parentbased_traceidratio', '0.5'],
  ['traceidratio', '0.25'],
  ['traceidratio', '0'],
  ['parentbased_traceidratio', '1'],
  ['parentbased_traceidratio', ''],
  ['traceidratio', '7'],
  ['traceidratio', 'lots'],
  ['always_on', undefined],
  ['always_off', undefined],
  ['parentbased_always_on', undefined],
  ['parentbased_always_off', undefined],
  [undefined, undefined],
  ['  ', '0.3'],
];

describe('deciding sampling without the SDK', () => {
  it.each(CONFIGS)('decides as the SDK does for %s / %s, for root and child requests', (sampler, arg) => {
    start(sampler, arg);
    let rootsSampled = 0;
    const roots = 1500;
    for (let i = 0; i < roots; i++) {
      // A request with no traceparent: the mirror draws the trace id.
      const choice = chooseTrace({})!;
      expect(choice.parent).toBeUndefined();
      expect(choice.traceparent).toBe(
        `00-${choice.traceId}-${choice.spanId}-${choice.sampled ? '01' : '00'}`,
      );
      // The SDK decides the same for that trace id.
      expect(sdkSamples(choice.traceId)).toBe(choice.sampled);
      if (choice.sampled) rootsSampled++;
    }
    const ratio = rootsSampled / roots;
    const sdk = sdkSampler().toString();
    const expected = /TraceIdRatioBased\{([\d.]+)\}/.exec(sdk)?.[1];
    if (expected !== undefined) expect(Math.abs(ratio - Number(expected))).toBeLessThan(0.06);

    for (let i = 0; i < 1500; i++) {
      const traceId = randomHex(16);
      const flags = i % 3 === 0 ? '01' : '00';
      const cases: IncomingHttpHeaders[] = [
        { traceparent: `00-${traceId}-${randomHex(8)}-${flags}` },
        { traceparent: ` 00-${traceId}-${randomHex(8)}-${flags}` },
        { traceparent: `00-${traceId}-0000000000000000-${flags}` },
        { traceparent: `00-${traceId}-${randomHex(8)}-${flags}-extra` },
        { traceparent: `cc-${traceId}-${randomHex(8)}-${flags}-later` },
      ];
      for (const headers of cases) {
        // Every sampler here is mirrored: it decides, never leaves it to the SDK.
        const choice = chooseTrace(headers);
        if (!choice) throw new Error(`undecided for ${sdk}`);
        expect(choice.spanId).not.toBe(headers.traceparent!.slice(36, 52));
        expect(choice.traceparent).toBe(
          `00-${choice.traceId}-${choice.spanId}-${choice.sampled ? '01' : '00'}`,
        );
        const { span, parent } = serverSpan(headers, 'child', {});
        const parentContext = trace.getSpanContext(parent);
        if (parentContext && isSpanContextValid(parentContext)) {
          // A valid parent: its trace goes on, it is the new span's parent, and the SDK's span
          // for the same request is recorded exactly when the mirror samples.
          expect(span.isRecording(), `${sdk} ${headers.traceparent}`).toBe(choice.sampled);
          expect(choice.traceId).toBe(parentContext.traceId);
          expect(choice.parent).toMatchObject({ spanId: parentContext.spanId, isRemote: true });
        } else {
          // A parent the SDK refuses: a new trace, decided as a root.
          expect(choice.traceId).not.toBe(traceId);
          expect(choice.parent).toBeUndefined();
          expect(sdkSamples(choice.traceId)).toBe(choice.sampled);
        }
        span.end();
      }
    }
  });

  it('leaves samplers it does not mirror, and SDKs it did not register, to the SDK', async () => {
    expect(samplingRuleFromEnv({ OTEL_TRACES_SAMPLER: 'jaeger_remote' })).toBeUndefined();
    expect(samplingRuleFromEnv({ OTEL_TRACES_SAMPLER: 'TRACEIDRATIO' })).toBeUndefined();
    start('jaeger_remote', undefined);
    expect(chooseTrace({})).toBeUndefined();
    await tracing!.shutdown();
    tracing = undefined;
    // No SDK at all (tracing off): nothing to propagate, decided by nobody.
    expect(chooseTrace({})).toBeUndefined();
    start('always_off', undefined);
    expect(chooseTrace({})!.traceparent).toMatch(/-00$/);
    // Another SDK registered over the kit's: its sampler is unknown here.
    const other = new BasicTracerProvider();
    trace.disable();
    trace.setGlobalTracerProvider(other);
    expect(chooseTrace({})).toBeUndefined();
  });

  it('computes the ratio bucket as the SDK does, hex digits of either case', () => {
    expect(traceIdBucket('00000000000000000000000000000000')).toBe(0);
    expect(traceIdBucket('ffffffff000000000000000000000000')).toBe(0xffffffff);
    expect(traceIdBucket('ffffffffffffffff0000000000000000')).toBe(0);
    expect(traceIdBucket('0000000100000002000000040000000A')).toBe(13);
    expect(traceIdBucket('0000000100000002000000040000000a')).toBe(13);
    expect(
      samplingRuleFromEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }),
    ).toEqual({
      parentBased: false,
      always: undefined,
      upperBound: Math.floor(0.1 * 0xffffffff),
    });
  });

  it('gives an unsampled request a non-recording span with the ids it sends on', () => {
    start('always_off', undefined);
    const choice: TraceChoice = chooseTrace({
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    })!;
    expect(choice.sampled).toBe(false);
    const span = unsampledSpan(choice);
    expect(span.isRecording()).toBe(false);
    expect(span.spanContext()).toMatchObject({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: choice.spanId,
      traceFlags: 0,
    });
  });
});
