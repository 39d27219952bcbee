import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { staticDiscovery } from '../src/http/discovery.js';
import { createHttpClient } from '../src/http/http-client.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(
  handler: (
    req: IncomingMessage,
    body: string,
  ) => { status: number; body?: unknown; delayMs?: number; type?: string },
) {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      seen.push(req);
      const out = handler(req, body);
      setTimeout(() => {
        res.writeHead(out.status, { 'content-type': out.type ?? 'application/json' });
        res.end(out.body === undefined ? '' : JSON.stringify(out.body));
      }, out.delayMs ?? 0);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('createHttpClient', () => {
  it('passes the caller identity, request id and query', async () => {
    const up = await serve(() => ({ status: 200, body: { ok: true } }));
    const client = createHttpClient({ service: 'svc', discovery: staticDiscovery({ svc: [up.url] }) });
    const res = await client.request<{ ok: boolean }>({
      path: '/x',
      token: 'tok',
      requestId: 'req-1',
      query: { a: 1, b: undefined },
    });
    expect(res).toMatchObject({ ok: true, status: 200, data: { ok: true } });
    const h = up.seen[0]!.headers;
    expect(h.authorization).toBe('Bearer tok');
    expect(h['x-request-id']).toBe('req-1');
    expect(up.seen[0]!.url).toBe('/x?a=1');
  });

  it('turns problem+json answers into typed errors without retrying them', async () => {
    const up = await serve(() => ({
      status: 404,
      type: 'application/problem+json',
      body: {
        type: 't',
        title: 'Not found',
        status: 404,
        detail: 'No model named iris.',
        code: 'ML_MODEL_NOT_FOUND',
      },
    }));
    const client = createHttpClient({ service: 'ml', discovery: staticDiscovery({ ml: [up.url] }) });
    const res = await client.request({ path: '/models/iris' });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error).toMatchObject({
      kind: 'problem',
      status: 404,
      service: 'ml',
      message: 'No model named iris.',
    });
    expect(res.error.problem?.code).toBe('ML_MODEL_NOT_FOUND');
    expect(up.seen).toHaveLength(1);
  });

  it('retries idempotent requests on 503 with backoff, never a POST', async () => {
    let n = 0;
    const up = await serve(() => (++n < 3 ? { status: 503, body: {} } : { status: 200, body: { n } }));
    const client = createHttpClient({
      service: 's',
      discovery: staticDiscovery({ s: [up.url] }),
      retries: 2,
      backoffMs: 5,
    });
    const get = await client.request<{ n: number }>({ path: '/' });
    expect(get.ok && get.data.n).toBe(3);
    n = 0;
    const post = await client.request({ method: 'POST', path: '/', body: {} });
    expect(post.ok).toBe(false);
    expect(up.seen.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('times out with a typed error and moves to another instance', async () => {
    // A second between the deadline and the slow answer: on a host loaded by a full test run the
    // fast instance itself took more than 100 ms to answer.
    const slow = await serve(() => ({ status: 200, body: { who: 'slow' }, delayMs: 3000 }));
    const fast = await serve(() => ({ status: 200, body: { who: 'fast' } }));
    const client = createHttpClient({
      service: 's',
      discovery: staticDiscovery({ s: [slow.url, fast.url] }),
      timeoutMs: 1000,
      retries: 1,
      backoffMs: 1,
    });
    const res = await client.request<{ who: string }>({ path: '/' });
    expect(res.ok && res.data.who).toBe('fast');
    const only = createHttpClient({
      service: 's',
      discovery: staticDiscovery({ s: [slow.url] }),
      timeoutMs: 1000,
      retries: 0,
    });
    const timedOut = await only.request({ path: '/' });
    expect(!timedOut.ok && timedOut.error.kind).toBe('timeout');
  });

  it('reports an unreachable or unknown service as unavailable', async () => {
    const client = createHttpClient({
      service: 's',
      discovery: staticDiscovery({ s: ['http://127.0.0.1:1'] }),
      retries: 1,
      backoffMs: 1,
    });
    const res = await client.request({ path: '/' });
    expect(!res.ok && res.error.kind).toBe('unavailable');
    const none = createHttpClient({ service: 'ghost', discovery: staticDiscovery({}) });
    const res2 = await none.request({ path: '/' });
    expect(!res2.ok && res2.error.message).toMatch(/no instance of ghost/);
  });
});

describe('createHttpClient circuit breaking', () => {
  it('stops calling a failing instance and fails fast once every circuit is open', async () => {
    const up = await serve(() => ({ status: 503, body: {} }));
    const client = createHttpClient({
      service: 's',
      discovery: staticDiscovery({ s: [up.url] }),
      retries: 0,
      circuit: { failureThreshold: 3, cooldownMs: 60_000 },
    });
    for (let i = 0; i < 3; i++) await client.request({ path: '/' });
    expect(up.seen).toHaveLength(3);
    const res = await client.request({ path: '/' });
    expect(!res.ok && res.error.message).toMatch(/circuit is open/);
    expect(up.seen).toHaveLength(3);
  });
});
