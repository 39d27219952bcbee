// What the proxy path does beyond the main suite: its hand-over to Fastify for the gateway's
// own routes, 405 with Allow, HEAD, forwarding headers, client aborts, the kit's metrics,
// OTLP spans and draining.
import { createServer, get as httpGet, request as httpRequest, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import {
  createTestIdentity,
  startTestTracing,
  type TestIdentity,
  type TestTracing,
} from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as helpers from './helpers.js';
import { testConfig } from './test-config.js';

let collector: Server;
let tracing: TestTracing;
let identity: TestIdentity;
let gw: helpers.TestGateway;
let ml: helpers.UpstreamProcess;
let token: string;
const exported: {
  name: string;
  kind: number;
  spanId: string;
  parentSpanId?: string;
  traceId: string;
  attributes: {
    key: string;
    value: { stringValue?: string; intValue?: string | number; doubleValue?: number };
  }[];
  status?: { code?: number };
}[] = [];

/** A span's OTLP/JSON attributes as plain values. */
function attributesOf(span: (typeof exported)[number]): Record<string, unknown> {
  return Object.fromEntries(
    span.attributes.map((a) => [
      a.key,
      a.value.stringValue ?? a.value.doubleValue ?? Number(a.value.intValue),
    ]),
  );
}

const yaml = testConfig({
  extraRoutes: `      - name: ml-post-only
        paths: [/api/post-only]
        methods: [POST]
        plugins:
          - name: anonymous
`,
});

beforeAll(async () => {
  identity = await createTestIdentity();
  ml = await helpers.startUpstream('ml-1');
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const rs of body.resourceSpans) for (const ss of rs.scopeSpans) exported.push(...ss.spans);
      res.end('{}');
    });
  });
  await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
  // The SDK as the service process has it, exporting OTLP/JSON to the stand-in collector.
  tracing = startTestTracing({
    // As the gateway's process runs (its package.json): contexts passed by hand, no async hooks.
    OPSMESH_TRACE_CONTEXT: 'explicit',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
  });
  const discovery = helpers.mutableDiscovery({ 'ml-service': [ml.url], 'auth-service': [ml.url] });
  gw = await helpers.startGateway({ yaml, discovery, identity });
  token = await identity.token({ roles: ['viewer'], sub: 'usr_proxy' });
});

/** Writes `text` to the gateway as it is and reads all it answers before closing. */
function rawRequest(text: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const { port } = new URL(gw.url);
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(text));
    let out = '';
    socket.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
  });
}

afterAll(async () => {
  await gw?.close();
  await ml?.kill();
  await identity?.close();
  await tracing?.shutdown();
  await new Promise((r) => collector?.close(r));
});

const auth = () => ({ authorization: `Bearer ${token}` });

describe('the proxy path', () => {
  it("leaves the gateway's own routes to Fastify, also with a trailing slash or percent-encoding", async () => {
    const metrics = await fetch(`${gw.url}/metrics/`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('gateway_requests_total');
    expect((await fetch(`${gw.url}/health/%6Cive`)).status).toBe(200);
    // A method the own route does not take is the proxy's, and no route takes it.
    const post = await fetch(`${gw.url}/health/live`, { method: 'POST' });
    expect(post.status).toBe(404);
    expect(await post.json()).toMatchObject({ code: 'GATEWAY_ROUTE_NOT_FOUND', instance: '/health/live' });
  });

  it('answers 405 with Allow when only method-restricted routes match', async () => {
    const res = await fetch(`${gw.url}/api/post-only/x`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({
      code: 'GATEWAY_METHOD_NOT_ALLOWED',
      requestId: expect.any(String),
    });
    const ok = await fetch(`${gw.url}/api/post-only/x`, { method: 'POST', body: 'hi' });
    expect(((await ok.json()) as { body: string }).body).toBe('hi');
  });

  it('answers HEAD without a body, and states how the request came in', async () => {
    const head = await fetch(`${gw.url}/api/ml/echo`, { method: 'HEAD', headers: auth() });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const res = await fetch(`${gw.url}/api/ml/echo`, { headers: auth() });
    expect(res.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{20}$/);
    expect(res.headers.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const echo = (await res.json()) as { headers: Record<string, string> };
    expect(echo.headers.host).toBe(new URL(ml.url).host);
    expect(echo.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(echo.headers['x-forwarded-proto']).toBe('http');
    expect(echo.headers['x-forwarded-host']).toBe(new URL(gw.url).host);
    expect(echo.headers['x-request-id']).toBe(res.headers.get('x-request-id'));
  });

  it('refuses a NUL in the path or query with 400 naming the field, as every service does', async () => {
    const res = await fetch(`${gw.url}/api/ml/echo?page=1&q=a%00b`, { headers: auth() });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      code: 'BAD_REQUEST',
      detail: 'querystring.q contains a NUL character; remove it.',
    });
  });

  it('answers a proxied HTTP/1.1 request without Host with a 400 problem, as every service does', async () => {
    const answer = await rawRequest('GET /api/ml/echo HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toMatch(/content-type: application\/problem\+json/i);
    expect(answer).toMatch(/needs a Host header/);
  });

  it('refuses a proxied request with two Authorization or X-API-Key fields with a 400 problem naming it', async () => {
    for (const [twice, name] of [
      [`Authorization: Bearer ${token}\r\nAuthorization: Bearer someone-else`, 'Authorization'],
      ['X-API-Key: omk_a\r\nX-Api-Key: omk_b', 'X-API-Key'],
    ] as const) {
      const answer = await rawRequest(
        `GET /api/ml/echo HTTP/1.1\r\nHost: localhost\r\n${twice}\r\nConnection: close\r\n\r\n`,
      );
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toMatch(/content-type: application\/problem\+json/i);
      expect(answer).toContain(`The ${name} header is sent more than once`);
    }
  });

  it('passes a JSON answer too big to rewrite unchanged, and HEAD on a rewriting route untouched', async () => {
    const res = await fetch(`${gw.url}/api/ml/t/big-json?bytes=9000000`, { headers: auth() });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body.length).toBe(9_000_000);
    expect(body.startsWith('{"pad":"xxx')).toBe(true);
    const small = await fetch(`${gw.url}/api/ml/t/data`, { method: 'HEAD', headers: auth() });
    expect(small.status).toBe(200);
    expect(small.headers.get('x-served-by')).toBe('gateway');
  });

  it('lets go of the upstream when the client leaves, counting the request as 499', async () => {
    const controller = new AbortController();
    const pending = fetch(`${gw.url}/api/ml/slow?ms=400`, { headers: auth(), signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 150));
    expect(gw.app.gateway.upstreams.health()['ml-service']![0]).toMatchObject({
      outstanding: 0,
      consecutiveFailures: 0,
    });
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    expect(text).toMatch(/gateway_requests_total\{[^}]*route="ml-api"[^}]*status_code="499"/);
  });

  it('counts an upload the client cuts short as 499, never as a gateway failure', async () => {
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${gw.url}/api/ml/t/echo`, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json', 'content-length': '1000' },
      });
      req.on('error', () => resolve());
      req.write('{"user": "ann", ');
      setTimeout(() => req.destroy(), 100);
    });
    await new Promise((r) => setTimeout(r, 100));
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    expect(text).toMatch(/gateway_requests_total\{[^}]*route="ml-transformed"[^}]*status_code="499"/);
    expect(text).not.toMatch(/gateway_requests_total\{[^}]*route="ml-transformed"[^}]*status_code="5/);
  });

  it("counts proxied requests in the kit's RED metrics, which the monitoring service reads", async () => {
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    expect(text).toMatch(
      /http_requests_total\{method="GET",route="\/\*",status_code="200",service="gateway"\}/,
    );
    expect(text).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/\*"/);
  });

  it('closes keep-alive connections while draining', async () => {
    gw.app.draining = true;
    try {
      const connection = await new Promise<string | undefined>((resolve, reject) => {
        httpGet(`${gw.url}/api/ml/echo`, { headers: auth() }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.headers.connection));
        }).on('error', reject);
      });
      expect(connection).toBe('close');
    } finally {
      gw.app.draining = false;
    }
  });

  it('passes an unsampled trace on with flags 00 and the same trace id, and exports no span of it', async () => {
    expect(tracing.tracing.context).toBe('explicit');
    const traceId = '5cf92f3577b34da6a3ce929d0e0e4737';
    const res = await fetch(`${gw.url}/api/ml/echo`, {
      headers: { ...auth(), traceparent: `00-${traceId}-00f067aa0ba902b7-00` },
    });
    expect(res.status).toBe(200);
    const sent = ((await res.json()) as { headers: Record<string, string> }).headers.traceparent!;
    expect(sent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-00$`));
    expect(sent).not.toContain('00f067aa0ba902b7');
    expect(res.headers.get('traceparent')).toBe(sent);
    await tracing.tracing.forceFlush();
    expect(exported.filter((s) => s.traceId === traceId)).toEqual([]);
    // The next request, sampled, still makes its span (checked in full below).
    const sampled = await fetch(`${gw.url}/api/ml/echo`, { headers: auth() });
    const sampledParent = ((await sampled.json()) as { headers: Record<string, string> }).headers
      .traceparent!;
    expect(sampledParent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    await tracing.tracing.forceFlush();
    expect(exported.filter((s) => s.traceId === sampledParent.split('-')[1]).map((s) => s.kind)).toEqual([2]);
  });

  it("marks the span failed on the upstream's 5xx, with the status the upstream gave", async () => {
    const traceId = '6cf92f3577b34da6a3ce929d0e0e4738';
    const res = await fetch(`${gw.url}/api/ml/status?code=503`, {
      headers: { ...auth(), traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(res.status).toBe(503);
    await tracing.tracing.forceFlush();
    const spans = exported.filter((s) => s.traceId === traceId);
    expect(spans).toHaveLength(1);
    expect(spans[0]!.status?.code).toBe(2); // ERROR
    expect(attributesOf(spans[0]!)).toMatchObject({
      'http.response.status_code': 503,
      'opsmesh.upstream.status_code': 503,
      'opsmesh.upstream.attempts': 1,
    });
  });

  it("exports one server span per proxied request, the parent of the upstream's, saying what the upstream did; closing drains", async () => {
    const res = await fetch(`${gw.url}/api/ml/echo`, {
      headers: { ...auth(), traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    });
    const seen = ((await res.json()) as { headers: Record<string, string> }).headers.traceparent!;
    const inFlight = fetch(`${gw.url}/api/ml/slow?ms=300`, { headers: auth() });
    await new Promise((r) => setTimeout(r, 100));
    const closing = gw.close(); // lets the request in flight finish
    const slow = await inFlight;
    expect(slow.status).toBe(200);
    expect(await slow.json()).toMatchObject({ slept: true });
    await closing;
    await tracing.tracing.forceFlush();
    const trace = exported.filter((s) => s.traceId === '4bf92f3577b34da6a3ce929d0e0e4736');
    expect(trace).toHaveLength(1);
    const server = trace[0]!;
    expect(server).toMatchObject({ name: 'GET ml-api', kind: 2, parentSpanId: '00f067aa0ba902b7' });
    // The upstream continues the gateway's span itself: no client span between them.
    expect(seen.split('-')[2]).toBe(server.spanId);
    // What the span knew at its start and what it learnt at its end, each said once.
    const upstream = new URL(ml.url);
    const attributes = attributesOf(server);
    expect(attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.path': '/api/ml/echo',
      'url.scheme': 'http',
      'http.route': '/*',
      'client.address': '127.0.0.1',
      'opsmesh.gateway.route': 'ml-api',
      'http.response.status_code': 200,
      'opsmesh.upstream.name': 'ml-service',
      'opsmesh.upstream.address': upstream.hostname,
      'opsmesh.upstream.port': Number(upstream.port),
      'opsmesh.upstream.status_code': 200,
      'opsmesh.upstream.attempts': 1,
    });
    expect(attributes['opsmesh.request_id']).toMatch(/\S/);
    expect(attributes['opsmesh.upstream.duration_ms']).toBeGreaterThan(0);
  });
});
