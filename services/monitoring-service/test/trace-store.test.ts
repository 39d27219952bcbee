import { gzipSync } from 'node:zlib';
import { type Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHarness, type Harness } from './helpers/harness.js';

let h: Harness;
let viewer: string;

beforeAll(async () => {
  h = await buildHarness({
    services: { 'auth-service': ['http://127.0.0.1:1'] },
    env: { TRACE_MAX_TRACES: '10', TRACE_SLOW_MS: '500' },
  });
  viewer = await h.token(['viewer']);
});
afterAll(async () => {
  await h?.close();
});

/** Real SDK spans of one service, as its exporter would hand them to the serializer. */
function sdk(service: string) {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  return { tracer: provider.getTracer('test'), memory };
}

/** A gateway → ml trace: a server span, its client span, ml's server span failing after `ms`. */
function twoServiceTrace(ms: number, requestId: string) {
  const gw = sdk('gateway');
  const ml = sdk('ml-service');
  const t0 = Date.now() - 60_000;
  const root = gw.tracer.startSpan('POST /api/ml', {
    kind: SpanKind.SERVER,
    startTime: t0,
    attributes: { 'opsmesh.request_id': requestId },
  });
  const ctx = (span: Span) => ({
    getValue: () => span,
    setValue: () => ctx(span),
    deleteValue: () => ctx(span),
  });
  const call = gw.tracer.startSpan(
    'POST ml-service',
    { kind: SpanKind.CLIENT, startTime: t0 + 1 },
    ctx(root) as never,
  );
  const infer = ml.tracer.startSpan(
    'POST /v2/models/:name/infer',
    { kind: SpanKind.SERVER, startTime: t0 + 2 },
    ctx(call) as never,
  );
  infer.setStatus({ code: SpanStatusCode.ERROR, message: 'model failed' });
  infer.setAttribute('ml.batch_size', 4);
  infer.end(t0 + ms - 2);
  call.end(t0 + ms - 1);
  root.end(t0 + ms);
  return {
    traceId: root.spanContext().traceId,
    gateway: gw.memory.getFinishedSpans(),
    ml: ml.memory.getFinishedSpans(),
    rootSpanId: root.spanContext().spanId,
    callSpanId: call.spanContext().spanId,
  };
}

const post = (body: Uint8Array | string, type: string, headers: Record<string, string> = {}) =>
  h.app.inject({
    method: 'POST',
    url: '/v1/traces',
    payload: Buffer.from(body),
    headers: { 'content-type': type, ...headers },
  });
const get = (url: string) =>
  h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${viewer}` } });

describe('the built-in trace store', () => {
  it('takes OTLP protobuf and JSON from two services and serves one trace with its waterfall', async () => {
    const t = twoServiceTrace(800, 'req_store_1');
    const proto = await post(ProtobufTraceSerializer.serializeRequest(t.gateway)!, 'application/x-protobuf');
    expect(proto.statusCode).toBe(200);
    expect(proto.headers['content-type']).toContain('application/x-protobuf');
    const json = await post(JsonTraceSerializer.serializeRequest(t.ml)!, 'application/json');
    expect(json.statusCode).toBe(200);
    expect(json.json()).toEqual({});
    // A retried export is not stored twice.
    await post(gzipSync(ProtobufTraceSerializer.serializeRequest(t.gateway)!), 'application/x-protobuf', {
      'content-encoding': 'gzip',
    });

    const one = await get(`/traces/${t.traceId}`);
    expect(one.statusCode).toBe(200);
    const body = one.json();
    expect(body.trace).toMatchObject({
      traceId: t.traceId,
      rootService: 'gateway',
      rootName: 'POST /api/ml',
      spanCount: 3,
      services: ['gateway', 'ml-service'],
      status: 'error',
      requestId: 'req_store_1',
      durationMs: 800,
    });
    const [root, call, infer] = body.spans;
    expect(root).toMatchObject({ parentSpanId: null, kind: 'server', offsetMs: 0, service: 'gateway' });
    expect(call).toMatchObject({
      spanId: t.callSpanId,
      parentSpanId: t.rootSpanId,
      kind: 'client',
      offsetMs: 1,
    });
    expect(infer).toMatchObject({
      parentSpanId: t.callSpanId,
      service: 'ml-service',
      status: 'error',
      statusMessage: 'model failed',
      attributes: { 'ml.batch_size': 4 },
      durationMs: 796,
    });
  });

  it('filters by service, operation, duration, status, request id and time', async () => {
    const slow = twoServiceTrace(700, 'req_filter_slow');
    const fast = twoServiceTrace(20, 'req_filter_fast');
    for (const t of [slow, fast]) {
      await post(
        ProtobufTraceSerializer.serializeRequest([...t.gateway, ...t.ml])!,
        'application/x-protobuf',
      );
    }
    const ids = async (query: string) =>
      ((await get(`/traces?${query}`)).json().traces as { traceId: string }[]).map((x) => x.traceId);
    expect(await ids('requestId=req_filter_fast')).toEqual([fast.traceId]);
    expect(await ids('minDurationMs=600&service=ml-service')).toContain(slow.traceId);
    expect(await ids('minDurationMs=600')).not.toContain(fast.traceId);
    expect(await ids('operation=POST%20ml-service&limit=200')).toEqual(
      expect.arrayContaining([slow.traceId, fast.traceId]),
    );
    expect(await ids('operation=nothing-like-this')).toEqual([]);
    expect(await ids('status=ok')).not.toContain(fast.traceId);
    expect(await ids(`from=${new Date(Date.now() + 3_600_000).toISOString()}`)).toEqual([]);
    expect(await ids('service=nobody')).toEqual([]);

    // A page at a time: the total, and where the next page starts until the last.
    const first = await get('/traces?operation=POST%20ml-service&limit=1');
    const total = Number(first.headers['x-total-count']);
    expect(total).toBeGreaterThanOrEqual(2);
    expect(first.headers['x-next-offset']).toBe('1');
    const last = await get(`/traces?operation=POST%20ml-service&limit=1&offset=${total - 1}`);
    expect(last.json().traces).toHaveLength(1);
    expect(last.headers['x-next-offset']).toBeUndefined();
    expect(last.json().traces[0].traceId).not.toBe(first.json().traces[0].traceId);
  });

  it("finds a trace by any of its requests' ids and reports the entry request's, whichever spans arrive first", async () => {
    const t = twoServiceTrace(30, 'req_entry_1');
    // ml's span carries an id of its own (a call that came without one) and is exported first.
    for (const s of t.ml) (s.attributes as Record<string, unknown>)['opsmesh.request_id'] = 'req_ml_own';
    await post(ProtobufTraceSerializer.serializeRequest(t.ml)!, 'application/x-protobuf');
    await post(ProtobufTraceSerializer.serializeRequest(t.gateway)!, 'application/x-protobuf');
    for (const id of ['req_entry_1', 'req_ml_own']) {
      const found = (await get(`/traces?requestId=${id}`)).json().traces;
      expect(found.map((x: { traceId: string }) => x.traceId)).toEqual([t.traceId]);
      expect(found[0].requestId).toBe('req_entry_1');
    }
  });

  it('answers bad exports and queries with a problem that says what to fix', async () => {
    const garbage = await post(new Uint8Array([0xff, 0xff, 0xff, 0x0f]), 'application/x-protobuf');
    expect(garbage.statusCode).toBe(400);
    expect(garbage.headers['content-type']).toContain('application/problem+json');
    expect(garbage.json()).toMatchObject({ code: 'MONITORING_INVALID_OTLP' });
    const badId = await post(
      JSON.stringify({
        resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'xyz', spanId: '00f067aa0ba902b7' }] }] }],
      }),
      'application/json',
    );
    expect(badId.statusCode).toBe(400);
    expect(badId.json().detail).toContain('resourceSpans.0.scopeSpans.0.spans.0.traceId');
    expect((await post('{"resourceSpans":', 'application/json')).json().detail).toContain('not valid JSON');
    const notUtf8 = await post(
      new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]),
      'application/json',
    );
    expect(notUtf8.statusCode).toBe(400);
    expect(notUtf8.json()).toMatchObject({ code: 'MONITORING_INVALID_OTLP' });
    expect(notUtf8.json().detail).toMatch(/not valid UTF-8 \(the first bad byte is at offset 2\)/);
    expect((await post('{}', 'application/json', { 'content-encoding': 'gzip' })).json().detail).toContain(
      'gzip',
    );
    expect((await post('x', 'text/plain')).statusCode).toBe(415);
    const unknown = await get(`/traces/${'0'.repeat(31)}1`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'MONITORING_TRACE_NOT_FOUND' });
    const badParam = await get('/traces/NOT-A-TRACE');
    expect(badParam.statusCode).toBe(400);
    expect((await get('/traces?minDurationMs=-1')).statusCode).toBe(400);
  });

  it('stays within its bound, evicting ordinary traces before slow ones and slow before failed', async () => {
    const failed = twoServiceTrace(10, 'req_keep_failed');
    await post(
      ProtobufTraceSerializer.serializeRequest([...failed.gateway, ...failed.ml])!,
      'application/x-protobuf',
    );
    const { tracer, memory } = sdk('gateway');
    const slow = tracer.startSpan('GET /slow', { startTime: Date.now() - 5000 });
    slow.end(Date.now() - 4000);
    for (let i = 0; i < 25; i++) tracer.startSpan(`GET /ordinary/${i}`).end();
    await post(
      ProtobufTraceSerializer.serializeRequest(memory.getFinishedSpans())!,
      'application/x-protobuf',
    );
    await h.runtime.traces.prune();
    const kept = (await get('/traces?limit=200')).json().traces as { traceId: string }[];
    expect(kept.length).toBeLessThanOrEqual(10);
    expect(kept.map((k) => k.traceId)).toEqual(
      expect.arrayContaining([failed.traceId, slow.spanContext().traceId]),
    );
  });
});
