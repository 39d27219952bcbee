import { createRequire } from 'node:module';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { encodeSpans } from './otlp-span-encoder.js';

// The SDK's own generated protobuf types, to read both encodings back the same way.
const root = createRequire(import.meta.url)('@opentelemetry/otlp-transformer/build/src/generated/root');
const Request = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
const decode = (bytes: Uint8Array) =>
  Request.toObject(Request.decode(bytes), { longs: String, bytes: String, defaults: true, arrays: true });

function recorded() {
  const exporter = new InMemorySpanExporter();
  const make = (service: string) =>
    new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': service, 'service.instance.id': 'x-1', pid: 42 }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
  const provider = make('gateway');
  const tracer = provider.getTracer('@opsmesh/shared', '0.1.0');
  // A remote parent, as an incoming traceparent gives it, with a trace state.
  const parent = {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
    traceState: new TraceState('vendor=a,other=b'),
  };
  const ctx = trace.setSpanContext(ROOT_CONTEXT, parent);
  const server = tracer.startSpan(
    'GET ml-api',
    {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'GET',
        'url.path': '/api/ml/é?ünïcode',
        'http.response.status_code': 200,
        'opsmesh.upstream.duration_ms': 0.412,
        negative: -5,
        big: 2 ** 40 + 3,
        huge: 2 ** 70,
        hugeNegative: -(2 ** 60) - 4096,
        unsafe: Number.MAX_SAFE_INTEGER + 1,
        flag: true,
        off: false,
        strings: ['a', 'b'],
        numbers: [1, 2.5, -3],
        empty: '',
        long: 'x'.repeat(300),
      },
      links: [
        {
          context: { traceId: '1'.repeat(32), spanId: '2'.repeat(16), traceFlags: 1, isRemote: true },
          attributes: { why: 'batched' },
        },
      ],
    },
    ctx,
  );
  server.addEvent('exception', { 'exception.message': 'boom' });
  server.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream failed' });
  server.end();
  const inner = tracer.startSpan('onnx.run iris', { kind: SpanKind.INTERNAL });
  inner.end();
  const other = make('ml-service').getTracer('other-scope').startSpan('POST /predict');
  other.end();
  // A span with many attributes: its length takes more than one byte, as does the whole request's.
  const wide = tracer.startSpan('wide', {
    attributes: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`attr.${i}`, `value ${i}`])),
  });
  wide.end();
  return exporter.getFinishedSpans();
}

describe('encodeSpans', () => {
  it("reads back as the SDK's own protobuf encoding of the same spans", () => {
    const spans = recorded();
    expect(spans).toHaveLength(4);
    const ours = decode(encodeSpans(spans));
    const sdk = decode(ProtobufTraceSerializer.serializeRequest(spans)!);
    expect(ours).toEqual(sdk);
    expect(ours.resourceSpans).toHaveLength(2);
    expect(ours.resourceSpans[0].scopeSpans[0].spans[0].parentSpanId).toBe(
      Buffer.from('b7ad6b7169203331', 'hex').toString('base64'),
    );
  });

  it('writes timestamps past 2^53 nanoseconds exactly', () => {
    const [s] = recorded();
    const at: [number, number] = [4_102_444_799, 999_999_999]; // 2099-12-31T23:59:59.999999999Z
    const span = { ...s!, spanContext: s!.spanContext, startTime: at, endTime: at } as typeof s;
    const decoded = decode(encodeSpans([span!]));
    expect(decoded.resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano).toBe('4102444799999999999');
  });

  it('gives each call its own bytes', () => {
    const spans = recorded();
    const first = encodeSpans(spans.slice(0, 1));
    const copy = Buffer.from(first);
    encodeSpans(spans);
    expect(Buffer.from(first)).toEqual(copy);
  });
});
