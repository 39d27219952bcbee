import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { SpanKind } from '@opentelemetry/api';
import type { IExporterTransport } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { afterEach, describe, expect, it } from 'vitest';
import { OtlpProtoExporter } from './otlp-proto-exporter.js';
import { RecordedSpan, spanLimitsFromEnv } from './recorded-span.js';
import { RetryingOtlpTransport, UndiciOtlpTransport } from './undici-otlp-transport.js';

let server: Server | undefined;
let transport: IExporterTransport | undefined;

afterEach(async () => {
  transport?.shutdown();
  transport = undefined;
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

interface Seen {
  headers: IncomingMessage['headers'];
  body: Buffer;
  path: string | undefined;
}

/** A collector on a loopback port answering each request with `answer`; what it received is kept. */
async function collector(
  answer: (n: number, res: ServerResponse) => void,
): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ headers: req.headers, body: Buffer.concat(chunks), path: req.url });
      answer(seen.length, res);
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1/traces?x=1`, seen };
}

const config = (url: string, extra: Partial<ConstructorParameters<typeof UndiciOtlpTransport>[0]> = {}) => ({
  url,
  headers: async () => ({ 'Content-Type': 'application/x-protobuf', 'x-tenant': 'ops' }),
  compression: 'none' as const,
  ...extra,
});

describe('OTLP/HTTP over undici', () => {
  it('posts the bytes with the configured headers and reads a success', async () => {
    const { url, seen } = await collector((_, res) => res.end(Buffer.from([1, 2])));
    transport = new UndiciOtlpTransport(config(url, { userAgent: 'gateway/1' }));
    const result = await transport.send(new Uint8Array([10, 20, 30]), 2000);
    expect(result).toEqual({ status: 'success', data: Buffer.from([1, 2]) });
    expect(seen[0]!.path).toBe('/v1/traces?x=1');
    expect([...seen[0]!.body]).toEqual([10, 20, 30]);
    expect(seen[0]!.headers).toMatchObject({ 'content-type': 'application/x-protobuf', 'x-tenant': 'ops' });
    expect(seen[0]!.headers['user-agent']).toContain('gateway/1');
  });

  it('gzips when compression is configured', async () => {
    const { url, seen } = await collector((_, res) => res.end());
    transport = new UndiciOtlpTransport(config(url, { compression: 'gzip' }));
    expect((await transport.send(Buffer.from('spans'), 2000)).status).toBe('success');
    expect(seen[0]!.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(seen[0]!.body).toString()).toBe('spans');
  });

  it('answers as the SDK transport does: 429/502/503/504 retryable with Retry-After, other errors failures', async () => {
    const { url } = await collector((n, res) => {
      if (n === 1) res.writeHead(503, { 'retry-after': '2' }).end();
      else if (n === 2) res.writeHead(429).end();
      else res.writeHead(400).end('bad spans');
    });
    transport = new UndiciOtlpTransport(config(url));
    expect(await transport.send(Buffer.from('a'), 2000)).toEqual({
      status: 'retryable',
      retryInMillis: 2000,
    });
    expect(await transport.send(Buffer.from('a'), 2000)).toEqual({ status: 'retryable' });
    const failed = await transport.send(Buffer.from('a'), 2000);
    expect(failed.status).toBe('failure');
    expect(failed.status === 'failure' && failed.error.message).toContain('400: bad spans');
  });

  it('calls a refused connection and a collector that never answers retryable', async () => {
    const { url } = await collector(() => {}); // never answers
    transport = new UndiciOtlpTransport(config(url));
    const slow = await transport.send(Buffer.from('a'), 300);
    expect(slow.status).toBe('retryable');
    // What a late retry is left with: no time at all still times out, and does not throw.
    expect((await transport.send(Buffer.from('a'), -5)).status).toBe('retryable');
    transport.shutdown();
    transport = new UndiciOtlpTransport(config('http://127.0.0.1:1/v1/traces'));
    const refused = await transport.send(Buffer.from('a'), 1000);
    expect(refused.status).toBe('retryable');
  });

  it('retries a retryable answer until it succeeds, within the timeout', async () => {
    const { url, seen } = await collector((n, res) => {
      if (n < 3) res.writeHead(503, { 'retry-after': '0' }).end();
      else res.end();
    });
    transport = new RetryingOtlpTransport(new UndiciOtlpTransport(config(url)));
    expect((await transport.send(Buffer.from('a'), 5000)).status).toBe('success');
    expect(seen).toHaveLength(3);
  });

  it('stops retrying when the next try would fall past the timeout', async () => {
    const { url, seen } = await collector((_, res) => res.writeHead(503, { 'retry-after': '30' }).end());
    transport = new RetryingOtlpTransport(new UndiciOtlpTransport(config(url)));
    const started = Date.now();
    expect((await transport.send(Buffer.from('a'), 2000)).status).toBe('retryable');
    expect(seen).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('is what an exporter asked for undici sends with; the SDK transport otherwise', async () => {
    const { url, seen } = await collector((_, res) => res.end());
    const span = recordedSpanFor();
    for (const transport of ['undici', undefined] as const) {
      const exporter = new OtlpProtoExporter({
        url,
        timeoutMillis: 2000,
        ...(transport ? { transport } : {}),
      });
      const code = await new Promise<number>((resolve) => exporter.export([span], (r) => resolve(r.code)));
      expect(code).toBe(0);
      await exporter.shutdown();
    }
    expect(seen).toHaveLength(2);
    expect(seen[0]!.headers['user-agent']).toContain('opsmesh-otlp');
    expect(seen[1]!.headers['user-agent']).toContain('OTel-OTLP-Exporter-JavaScript');
    expect(seen[0]!.body.equals(seen[1]!.body)).toBe(true);
  });
});

/** One finished span, as the gateway records it. */
function recordedSpanFor() {
  const sink = {
    resource: resourceFromAttributes({ 'service.name': 'gateway' }),
    processors: [],
    ...spanLimitsFromEnv({}),
  };
  const span = new RecordedSpan(
    sink,
    'GET secured',
    SpanKind.SERVER,
    { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 },
    undefined,
    performance.now(),
    { 'http.request.method': 'GET' },
  );
  span.end();
  return span;
}
