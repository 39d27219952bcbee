import { createRequire } from 'node:module';
import { SpanStatusCode } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { afterEach, describe, expect, it } from 'vitest';
import { serverSpan } from '../src/service/trace-context.js';
import { encodeSpans } from '../src/tracing/otlp-span-encoder.js';
import { RecordedSpan } from '../src/tracing/recorded-span.js';
import { chooseTrace, recordServerSpan } from '../src/tracing/sampling-mirror.js';
import { setupTracing, type Tracing } from '../src/tracing/setup-tracing.js';

// The SDK's own generated protobuf types, to read encodings back.
const root = createRequire(import.meta.url)('@opentelemetry/otlp-transformer/build/src/generated/root');
const Request = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
const decode = (bytes: Uint8Array) =>
  Request.toObject(Request.decode(bytes), { longs: String, bytes: String, defaults: true, arrays: true });

const VARS = [
  'OTEL_TRACES_SAMPLER',
  'OTEL_TRACES_SAMPLER_ARG',
  'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT',
  'OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT',
] as const;
const saved = VARS.map((v) => process.env[v]);
let tracing: Tracing | undefined;

afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
  VARS.forEach((v, i) => {
    if (saved[i] === undefined) delete process.env[v];
    else process.env[v] = saved[i];
  });
});

function start(env: Partial<Record<(typeof VARS)[number], string>> = {}): InMemorySpanExporter {
  for (const v of VARS) delete process.env[v];
  Object.assign(process.env, env);
  const memory = new InMemorySpanExporter();
  tracing = setupTracing({
    serviceName: 'recorded',
    env: {},
    exporters: [memory],
    simple: true,
    context: 'explicit',
  });
  return memory;
}

const HEADERS = {
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  tracestate: 'vendor=a,other=b',
};

/** The same calls on a span: the gateway's start attributes, then what its end adds. */
function exercise(span: { setAttribute(k: string, v: unknown): unknown; setStatus(s: unknown): unknown }) {
  span.setAttribute('http.response.status_code', 502);
  span.setAttribute('client.address', '10.1.2.3');
  span.setAttribute('opsmesh.upstream.duration_ms', 0.412);
  span.setAttribute('ignored', undefined);
  span.setAttribute('', 'no key');
  span.setAttribute('not.a.value', { nested: true });
  span.setAttribute('tags', ['a', 'bbbbbbbbbbbb']);
  span.setAttribute('url.path', '/api/ml/models/a-very-long-model-name/infer');
  span.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream failed' });
}

const START = {
  'http.request.method': 'POST',
  'url.path': '/api/ml/models/iris/infer',
  'url.scheme': 'http',
  'opsmesh.request_id': 'req_1',
};

describe('spans the kit records itself', () => {
  it('export as the SDK span of the same request does: ids, parent, trace state, attributes, status, times', () => {
    const memory = start();
    const before = Date.now();
    const choice = chooseTrace(HEADERS)!;
    expect(choice.sampled).toBe(true);
    const recorded = recordServerSpan(choice, 'POST', performance.now(), START);
    exercise(recorded);
    recorded.recordException(Object.assign(new Error('boom'), { code: 'ECONNRESET' }));
    recorded.updateName('POST ml-api');
    recorded.end();
    const sdk = serverSpan(HEADERS, 'POST', START).span;
    exercise(sdk as never);
    sdk.recordException(Object.assign(new Error('boom'), { code: 'ECONNRESET' }));
    sdk.updateName('POST ml-api');
    sdk.end();

    const [mine, theirs] = memory.getFinishedSpans() as [ReadableSpan, ReadableSpan];
    expect(mine).toBe(recorded);
    for (const field of ['name', 'kind', 'attributes', 'status', 'links', 'droppedAttributesCount'] as const)
      expect(mine[field], field).toEqual(theirs[field]);
    expect(mine.resource).toBe(theirs.resource);
    expect(mine.instrumentationScope).toMatchObject({
      name: theirs.instrumentationScope.name,
      version: theirs.instrumentationScope.version,
    });
    // The same exception event (each with its own stack: the errors were made on different lines).
    const event = (s: ReadableSpan) =>
      s.events.map((e) => [e.name, Object.keys(e.attributes ?? {}), e.attributes?.['exception.type']]);
    expect(event(mine)).toEqual(event(theirs));
    expect(mine.events[0]?.attributes?.['exception.message']).toBe('boom');
    const { spanId: _a, ...myContext } = mine.spanContext();
    const { spanId: _b, ...theirContext } = theirs.spanContext();
    expect(myContext.traceState?.serialize()).toBe('vendor=a,other=b');
    expect({ ...myContext, traceState: myContext.traceState?.serialize() }).toEqual({
      ...theirContext,
      traceState: theirContext.traceState?.serialize(),
    });
    expect(mine.parentSpanContext).toMatchObject({ spanId: 'b7ad6b7169203331', isRemote: true });
    expect(mine.spanContext().spanId).toBe(choice.spanId);
    expect(choice.traceparent).toBe(`00-0af7651916cd43dd8448eb211c80319c-${choice.spanId}-01`);
    // Wall-clock times on the SDK's clock, in order, with the duration between them.
    const ms = (t: [number, number]) => t[0] * 1000 + t[1] / 1e6;
    expect(ms(mine.startTime)).toBeGreaterThanOrEqual(before - 1);
    expect(ms(mine.endTime)).toBeGreaterThanOrEqual(ms(mine.startTime));
    expect(ms(mine.endTime)).toBeLessThanOrEqual(ms(theirs.endTime) + 1);
    expect(ms(mine.duration)).toBeCloseTo(ms(mine.endTime) - ms(mine.startTime), 3);
    // On the wire: the kit's encoder writes what the SDK's serializer writes for it.
    expect(decode(encodeSpans([mine]))).toEqual(
      decode(ProtobufTraceSerializer.serializeRequest([mine]) as Uint8Array),
    );
  });

  it('keeps to the span limits the SDK reads from the environment', () => {
    const memory = start({ OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '8', OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '5' });
    const recorded = recordServerSpan(chooseTrace(HEADERS)!, 'GET', performance.now(), START);
    exercise(recorded);
    recorded.end();
    const sdk = serverSpan(HEADERS, 'GET', START).span;
    exercise(sdk as never);
    sdk.end();
    const [mine, theirs] = memory.getFinishedSpans() as [ReadableSpan, ReadableSpan];
    expect(mine.attributes['url.path']).toBe('/api/ml/');
    expect(Object.keys(mine.attributes)).toHaveLength(5);
    expect(mine.attributes).toEqual(theirs.attributes);
    expect(mine.droppedAttributesCount).toBe(theirs.droppedAttributesCount);
    expect(mine.droppedAttributesCount).toBeGreaterThan(0);
  });

  it('is handed to the processors once, and changes nothing after it ended', () => {
    const memory = start();
    const recorded = recordServerSpan(chooseTrace({})!, 'GET', performance.now(), {});
    expect(recorded).toBeInstanceOf(RecordedSpan);
    expect(recorded.isRecording()).toBe(true);
    recorded.end();
    recorded.end();
    recorded.setAttribute('late', 1);
    recorded.updateName('renamed');
    recorded.addEvent('late');
    expect(recorded.isRecording()).toBe(false);
    expect(memory.getFinishedSpans()).toHaveLength(1);
    expect(recorded.name).toBe('GET');
    expect(recorded.attributes).toEqual({});
    expect(recorded.events).toEqual([]);
    // A root span: no parent, a trace of its own.
    expect(recorded.parentSpanContext).toBeUndefined();
  });
});
