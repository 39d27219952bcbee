import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, createContextKey, propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAuthClient } from '../src/clients/auth-client.js';
import { staticDiscovery } from '../src/http/discovery.js';
import { createHttpClient } from '../src/http/http-client.js';
import { createLogger } from '../src/logging/logger.js';
import { createService, type ServiceApp } from '../src/service/create-service.js';
import { inSpan, kitTracer } from '../src/service/trace-context.js';
import { setupTracing, type Tracing } from '../src/tracing/setup-tracing.js';
import { SyncContextManager } from '../src/tracing/sync-context-manager.js';
import { traceContextMode } from '../src/tracing/trace-export-config.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

const memory = new InMemorySpanExporter();
let tracing: Tracing;
beforeAll(() => {
  tracing = setupTracing({ serviceName: 'test', env: {}, exporters: [memory], simple: true });
});
afterAll(async () => {
  await tracing.shutdown();
});

async function listen(app: ServiceApp): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  closers.push(() => app.close());
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/** A bare HTTP server recording the headers of each request it gets. */
async function recorder(): Promise<{ url: string; seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"leaf":true}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => server.close(r)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function spanNamed(name: string): ReadableSpan {
  const found = memory.getFinishedSpans().find((s) => s.name === name);
  if (!found) throw new Error(`no span ${name} in ${memory.getFinishedSpans().map((s) => s.name)}`);
  return found;
}

describe('tracing on the OpenTelemetry SDK', () => {
  it('joins server and client spans of two services in one trace with no context passed by hand', async () => {
    memory.reset();
    const down = await recorder();
    const client = createHttpClient({ service: 'down', discovery: staticDiscovery({ down: [down.url] }) });
    const upstream = createService({ name: 'up', version: '1', logLevel: 'silent', processMetrics: false });
    upstream.register(async (r) => {
      // A POST: the handler runs after the body was read, from an I/O callback.
      r.post('/root', async () => {
        const res = await client.request({ path: '/leaf' });
        return { ok: res.ok };
      });
    });
    const upUrl = await listen(upstream);
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await fetch(`${upUrl}/root`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
        tracestate: 'vendor=opaque',
        baggage: 'tenant=acme',
        'x-request-id': 'req-trace-1',
      },
      body: JSON.stringify({ a: 1 }),
    });
    expect(await res.json()).toEqual({ ok: true });
    await upstream.close();

    const root = spanNamed('POST /root');
    const call = spanNamed('GET down');
    expect(root.spanContext().traceId).toBe(traceId);
    expect(root.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(root.kind).toBe(SpanKind.SERVER);
    expect(root.attributes).toMatchObject({
      'http.route': '/root',
      'http.response.status_code': 200,
      'opsmesh.request_id': 'req-trace-1',
    });
    expect(call.kind).toBe(SpanKind.CLIENT);
    expect(call.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    // What went out on the wire: the client span's context, the caller's state and baggage, the request id.
    const sent = down.seen[0]!;
    expect(sent.traceparent).toBe(`00-${traceId}-${call.spanContext().spanId}-01`);
    expect(sent.tracestate).toBe('vendor=opaque');
    expect(sent.baggage).toBe('tenant=acme');
    expect(sent['x-request-id']).toBe('req-trace-1');
    expect(res.headers.get('traceparent')).toBe(`00-${traceId}-${root.spanContext().spanId}-01`);
  });

  it('marks a 5xx server span failed and keeps 4xx ones unset; probes make no span', async () => {
    memory.reset();
    const app = createService({ name: 'svc', version: '1', logLevel: 'silent', processMetrics: false });
    app.register(async (r) => {
      r.get('/boom', async () => {
        throw new Error('kaput');
      });
    });
    await app.inject({ url: '/boom' });
    await app.inject({ url: '/missing' });
    await app.inject({ url: '/health/live' });
    await app.close();
    const boom = spanNamed('GET /boom');
    expect(boom.status.code).toBe(2);
    expect(boom.events.some((e) => e.name === 'exception')).toBe(true);
    expect(spanNamed('GET unmatched').status.code).toBe(0);
    expect(memory.getFinishedSpans().some((s) => s.name.includes('/health'))).toBe(false);
  });

  it("makes no span of a service's upkeep (the revocation long poll) and asks the callee to make none", async () => {
    memory.reset();
    const feed = createService({ name: 'auth', version: '1', logLevel: 'silent', processMetrics: false });
    feed.register(async (r) => {
      r.get('/revocations', async () => ({ cursor: 1, events: [] }));
    });
    const url = await listen(feed);
    const down = await recorder();
    const http = createHttpClient({ service: 'auth', discovery: staticDiscovery({ auth: [url] }) });
    // Inside a sampled span, as a poll started from a request would be: still no span anywhere.
    await inSpan('outer', {}, async () => {
      const page = await createAuthClient(http).revocations(null, 0);
      expect(page).toEqual({ cursor: 1, events: [] });
    });
    const seen = createHttpClient({ service: 'down', discovery: staticDiscovery({ down: [down.url] }) });
    await seen.request({ path: '/revocations', untraced: true });
    await seen.request({ path: '/traced' });
    await feed.close();
    expect(memory.getFinishedSpans().map((s) => s.name)).toEqual(['outer', 'GET down']);
    const [untraced, traced] = down.seen.map((h) => String(h.traceparent));
    expect(untraced).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    expect(traced).toMatch(/-01$/);
  });

  it('starts a trace for background work and writes its ids on log lines', async () => {
    memory.reset();
    const lines: string[] = [];
    const log = createLogger({
      service: 'bg',
      destination: { write: (l: string) => lines.push(l) } as unknown as NodeJS.WritableStream,
    });
    await inSpan('monitoring.scrape', { 'opsmesh.targets': 2 }, async () => {
      log.info('scraping');
      expect(propagation.getBaggage(context.active())).toBeUndefined();
    });
    log.info('outside');
    const span = spanNamed('monitoring.scrape');
    expect(span.parentSpanContext).toBeUndefined();
    const [inside, outside] = lines.map((l) => JSON.parse(l));
    expect(inside).toMatchObject({
      trace_id: span.spanContext().traceId,
      span_id: span.spanContext().spanId,
    });
    expect(outside.trace_id).toBeUndefined();
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});

describe('the kit tracer', () => {
  it('follows the SDK registered now, not the one it was first taken from', async () => {
    await tracing.shutdown();
    // Nothing registered: a no-op span, and no trace id to pass on.
    expect(kitTracer().startSpan('between').isRecording()).toBe(false);
    const second = new InMemorySpanExporter();
    tracing = setupTracing({ serviceName: 'second', env: {}, exporters: [second], simple: true });
    kitTracer().startSpan('after').end();
    expect(second.getFinishedSpans().map((s) => s.name)).toEqual(['after']);
    expect(memory.getFinishedSpans().map((s) => s.name)).not.toContain('after');
  });
});

describe('explicit trace contexts', () => {
  it('keep the active context for the synchronous run of context.with only', async () => {
    const manager = new SyncContextManager();
    const ctx = ROOT_CONTEXT.setValue(createContextKey('k'), 'v');
    const seen: unknown[] = [];
    const settled = manager.with(ctx, async () => {
      seen.push(manager.active());
      manager.with(ROOT_CONTEXT, () => seen.push(manager.active()));
      seen.push(manager.active());
      await null;
      // Nothing follows an await: the code passes the context on by hand.
      seen.push(manager.active());
    });
    seen.push(manager.active());
    await settled;
    expect(seen).toEqual([ctx, ROOT_CONTEXT, ctx, ROOT_CONTEXT, ROOT_CONTEXT]);
    const bound = manager.bind(ctx, () => manager.active());
    expect(bound()).toBe(ctx);
    expect(() =>
      manager.with(ctx, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(manager.active()).toBe(ROOT_CONTEXT);
  });

  it('are chosen by OPSMESH_TRACE_CONTEXT or the service, and a bad value names the variable', () => {
    expect(traceContextMode({})).toBe('async');
    expect(traceContextMode({}, 'explicit')).toBe('explicit');
    expect(traceContextMode({ OPSMESH_TRACE_CONTEXT: 'async' }, 'explicit')).toBe('async');
    expect(() => traceContextMode({ OPSMESH_TRACE_CONTEXT: 'implicit' })).toThrow(
      'OPSMESH_TRACE_CONTEXT=implicit is not one of async, explicit',
    );
    expect(() => setupTracing({ serviceName: 'x', env: { OPSMESH_TRACE_CONTEXT: 'sometimes' } })).toThrow(
      /OPSMESH_TRACE_CONTEXT/,
    );
  });
});
