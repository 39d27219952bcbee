import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { staticDiscovery } from '../src/http/discovery.js';
import { createHttpClient } from '../src/http/http-client.js';
import { createService, type ServiceApp } from '../src/service/create-service.js';
import { createOtlpExporter } from '../src/tracing/span-exporter.js';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: Record<string, unknown> }[];
  status: { code: number };
}

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

/** A collector stand-in that records OTLP/HTTP JSON export requests as the protocol defines them. */
async function collector() {
  const received: { path: string; service: string; spans: OtlpSpan[] }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const doc = JSON.parse(body);
      for (const rs of doc.resourceSpans) {
        const service = rs.resource.attributes.find((a: { key: string }) => a.key === 'service.name').value
          .stringValue;
        for (const ss of rs.scopeSpans) received.push({ path: req.url ?? '', service, spans: ss.spans });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => server.close(r)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

async function listen(app: ServiceApp): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  closers.push(() => app.close());
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

describe('distributed tracing over OTLP/HTTP', () => {
  it('exports a server span per request and a client span per call, joined in one trace', async () => {
    const otlp = await collector();
    const downstream = createService({
      name: 'down',
      version: '1',
      logLevel: 'silent',
      processMetrics: false,
      otlpEndpoint: otlp.url,
    });
    downstream.register(async (r) => {
      r.get('/leaf', async () => ({ leaf: true }));
    });
    const downUrl = await listen(downstream);
    const clientExporter = createOtlpExporter({ endpoint: otlp.url, service: 'up' });
    const client = createHttpClient({
      service: 'down',
      discovery: staticDiscovery({ down: [downUrl] }),
      spanExporter: clientExporter,
    });
    const upstream = createService({
      name: 'up',
      version: '1',
      logLevel: 'silent',
      processMetrics: false,
      spanExporter: clientExporter,
    });
    upstream.register(async (r) => {
      r.get('/root', async (request) => {
        const res = await client.request({
          path: '/leaf',
          trace: request.trace,
          requestId: String(request.id),
        });
        return { ok: res.ok };
      });
    });
    const upUrl = await listen(upstream);
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await fetch(`${upUrl}/root`, {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(await res.json()).toEqual({ ok: true });
    await upstream.close();
    await downstream.close();
    await clientExporter.shutdown();

    expect(otlp.received.every((r) => r.path === '/v1/traces')).toBe(true);
    const spans = otlp.received.flatMap((r) => r.spans.map((s) => ({ ...s, service: r.service })));
    const root = spans.find((s) => s.name === 'GET /root')!;
    const call = spans.find((s) => s.kind === 3)!;
    const leaf = spans.find((s) => s.name === 'GET /leaf')!;
    expect(root).toMatchObject({
      traceId,
      parentSpanId: '00f067aa0ba902b7',
      kind: 2,
      service: 'up',
      status: { code: 1 },
    });
    expect(call).toMatchObject({ traceId, parentSpanId: root.spanId, name: 'GET down' });
    expect(leaf).toMatchObject({ traceId, parentSpanId: call.spanId, service: 'down' });
    expect(BigInt(leaf.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(leaf.startTimeUnixNano));
    expect(Number(BigInt(root.startTimeUnixNano) / 1_000_000n)).toBeGreaterThan(Date.now() - 60_000);
    expect(root.attributes).toEqual(
      expect.arrayContaining([{ key: 'http.response.status_code', value: { intValue: '200' } }]),
    );
  });

  it('drops spans past its queue bound instead of growing when the collector is down', async () => {
    const exporter = createOtlpExporter({
      endpoint: 'http://127.0.0.1:1',
      service: 's',
      maxQueue: 10,
      maxBatch: 1000,
      intervalMs: 60_000,
    });
    for (let i = 0; i < 25; i++) {
      exporter.export({
        traceId: 'a'.repeat(32),
        spanId: 'b'.repeat(16),
        name: 'x',
        kind: 2,
        startNs: 1n,
        endNs: 2n,
        attributes: {},
        error: false,
      });
    }
    expect(exporter.dropped).toBe(15);
    await exporter.shutdown();
  });
});
