import {
  createTestIdentity,
  runAuthMatrix,
  startTestTracing,
  type TestIdentity,
} from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  mutableDiscovery,
  startGateway,
  startUpstream,
  type TestGateway,
  type UpstreamProcess,
} from './helpers.js';
import { testConfig } from './test-config.js';

let identity: TestIdentity;
let ml: UpstreamProcess;
let auth: UpstreamProcess;
let gw: TestGateway;
let viewer: string;

const tracing = startTestTracing();

beforeAll(async () => {
  identity = await createTestIdentity();
  [ml, auth] = await Promise.all([startUpstream('ml-1'), startUpstream('auth-1')]);
  const discovery = mutableDiscovery({ 'ml-service': [ml.url], 'auth-service': [auth.url] });
  gw = await startGateway({ yaml: testConfig(), discovery, identity });
  viewer = await identity.token({ roles: ['viewer'], sub: 'usr_viewer1' });
});

afterAll(async () => {
  await tracing.shutdown();
  await gw?.close();
  await Promise.all([ml?.kill(), auth?.kill()]);
  await identity?.close();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(gw.url + path, { headers });

describe('routing and identity', () => {
  it('strips the prefix, keeps the query and sends the verified identity with the original Authorization', async () => {
    const res = await get('/api/ml/v2/models?x=1', {
      authorization: `Bearer ${viewer}`,
      'x-opsmesh-user': 'usr_forged',
      'x-opsmesh-roles': 'admin',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      'x-request-id': 'req_client1',
      'x-forwarded-prefix': '/forged',
    });
    expect(res.status).toBe(200);
    const echo = (await res.json()) as { path: string; query: string; headers: Record<string, string> };
    expect(echo.path).toBe('/v2/models');
    expect(echo.query).toBe('?x=1');
    expect(echo.headers['x-opsmesh-user']).toBe('usr_viewer1');
    expect(echo.headers['x-opsmesh-roles']).toBe('viewer');
    expect(echo.headers['x-opsmesh-route']).toBe('ml-api');
    // What was stripped, so the service can name its routes as the caller sees them.
    expect(echo.headers['x-forwarded-prefix']).toBe('/api/ml');
    expect(echo.headers.authorization).toBe(`Bearer ${viewer}`);
    expect(echo.headers['x-request-id']).toBe('req_client1');
    expect(echo.headers.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(echo.headers.traceparent).not.toContain('b7ad6b7169203331');
    expect(res.headers.get('x-request-id')).toBe('req_client1');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('never lets a client-sent x-opsmesh-* header reach an open route either', async () => {
    const res = await fetch(`${gw.url}/api/auth/login`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-opsmesh-user': 'usr_forged',
        'X-Opsmesh-Subject': 'x',
      },
      body: JSON.stringify({ email: 'a@b.c', password: 'pw' }),
    });
    expect(res.status).toBe(200);
    const echo = (await res.json()) as { path: string; body: string; headers: Record<string, string> };
    expect(echo.path).toBe('/login');
    expect(JSON.parse(echo.body)).toEqual({ email: 'a@b.c', password: 'pw' });
    expect(
      Object.keys(echo.headers).filter((h) => h.startsWith('x-opsmesh-') && h !== 'x-opsmesh-route'),
    ).toEqual([]);
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('refuses a missing or bad token with 401 and a missing permission with 403, as problem+json', async () => {
    const none = await get('/api/ml/v2/models');
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    expect(await none.json()).toMatchObject({
      code: 'UNAUTHENTICATED',
      status: 401,
      instance: '/api/ml/v2/models',
    });
    const bad = await get('/api/ml/v2/models', { authorization: `Bearer ${viewer.slice(0, -4)}AAAA` });
    expect(bad.status).toBe(401);
    const expired = await get('/api/ml/x', {
      authorization: `Bearer ${await identity.token({ expiresIn: -120 })}`,
    });
    expect(expired.status).toBe(401);
    const denied = await get('/api/ml/admin/models', { authorization: `Bearer ${viewer}` });
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({
      code: 'FORBIDDEN',
      detail: expect.stringContaining('models:admin'),
    });
    const admin = await identity.token({ roles: ['admin'] });
    expect((await get('/api/ml/admin/models', { authorization: `Bearer ${admin}` })).status).toBe(200);
  });

  it('answers 404 and 405 as problem+json for paths no route takes', async () => {
    const res = await get('/nowhere');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'GATEWAY_ROUTE_NOT_FOUND' });
  });
});

describe('shared auth matrix', () => {
  it("checks credentials before parameters, query and body on every guarded route of the gateway's own API", async () => {
    const { checked, failures } = await runAuthMatrix({
      app: gw.app,
      token: (roles) => identity.token({ roles }),
    });
    expect(checked.length).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  });
});

describe('rate limits', () => {
  it('counts per consumer with the RateLimit fields, and refuses with 429 and Retry-After', async () => {
    const token = await identity.token({ roles: ['viewer'], sub: 'usr_limited' });
    const other = await identity.token({ roles: ['viewer'], sub: 'usr_other' });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) {
      last = await get('/api/ml/limited/x', { authorization: `Bearer ${token}` });
      statuses.push(last.status);
      if (i === 0) {
        expect(last.headers.get('ratelimit-policy')).toBe('"second";q=50;w=1, "minute";q=4;w=60');
        expect(last.headers.get('ratelimit')).toMatch(/^"minute";r=3;t=\d+$/);
      }
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await last!.json()).toMatchObject({ code: 'GATEWAY_RATE_LIMITED', status: 429 });
    expect((await get('/api/ml/limited/x', { authorization: `Bearer ${other}` })).status).toBe(200);
  });

  it('limits login per IP, strictly', async () => {
    const login = () =>
      fetch(`${gw.url}/api/auth/login`, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
    // One login was spent by the identity-header test above.
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await login()).status);
    expect(statuses).toEqual([200, 200, 429]);
  });
});

describe('transformations', () => {
  it('adds, removes, renames and replaces request headers, query parameters and JSON fields', async () => {
    const res = await fetch(`${gw.url}/api/ml/t/echo?secret=1&q=find&page=9&keep=k`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${viewer}`,
        'content-type': 'application/json',
        'x-drop': 'd',
        'x-old': 'o',
        'x-mode': 'm',
      },
      body: JSON.stringify({ password: 'p', user: 'ann', kind: 'k', other: 1 }),
    });
    expect(res.status).toBe(200);
    const echo = (await res.json()) as {
      query: string;
      headers: Record<string, string>;
      body: string;
      path: string;
    };
    expect(echo.path).toBe('/echo');
    expect(echo.headers['x-drop']).toBeUndefined();
    expect(echo.headers['x-old']).toBeUndefined();
    expect(echo.headers['x-new']).toBe('o');
    expect(echo.headers['x-mode']).toBe('replaced');
    expect(echo.headers['x-added']).toBe('yes');
    expect(new URLSearchParams(echo.query).toString()).toBe('page=1&keep=k&query=find&source=gateway');
    expect(JSON.parse(echo.body)).toEqual({ username: 'ann', kind: 'replaced', other: 1, via: 'gateway' });
    expect(Number(echo.headers['content-length'])).toBe(Buffer.byteLength(echo.body));
  });

  it('rewrites response headers and JSON fields', async () => {
    const res = await get('/api/ml/t/data', { authorization: `Bearer ${viewer}` });
    expect(res.headers.get('x-internal')).toBeNull();
    expect(res.headers.get('x-upstream-header')).toBeNull();
    expect(res.headers.get('x-renamed')).toBe('u');
    expect(res.headers.get('x-served-by')).toBe('gateway');
    expect(await res.json()).toEqual({ keep: 2, new: 'o', nested: { a: 1 }, added: true });
  });

  it('refuses a malformed JSON body on a transformed route with 400', async () => {
    const res = await fetch(`${gw.url}/api/ml/t/echo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${viewer}`, 'content-type': 'application/json' },
      body: '{"user": ',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'GATEWAY_BAD_JSON_BODY' });
  });

  it('refuses a body it would rewrite that is not UTF-8, or declared in another charset, instead of forwarding U+FFFD', async () => {
    const send = (body: Buffer, contentType: string) =>
      fetch(`${gw.url}/api/ml/t/echo`, {
        method: 'POST',
        headers: { authorization: `Bearer ${viewer}`, 'content-type': contentType },
        body,
      });
    const latin1 = Buffer.from('{"user":"Zoé"}', 'latin1');
    const bad = await send(latin1, 'application/json');
    expect(bad.status).toBe(400);
    const problem = (await bad.json()) as { code: string; detail: string };
    expect(problem.code).toBe('INVALID_UTF8');
    expect(problem.detail).toMatch(/offset 11\b/);
    const declared = await send(latin1, 'application/json; charset=iso-8859-1');
    expect(declared.status).toBe(415);
    expect(await declared.json()).toMatchObject({ code: 'UNSUPPORTED_CHARSET' });
    const good = await send(Buffer.from('{"user":"Zoé"}', 'utf8'), 'application/json');
    expect(good.status).toBe(200);
    expect(JSON.parse(((await good.json()) as { body: string }).body)).toMatchObject({ username: 'Zoé' });
  });
});

describe('streaming, limits, CORS', () => {
  it('cuts a chunked upload at the body limit, refuses an oversized length, and streams what fits', async () => {
    const chunk = Buffer.alloc(64 * 1024, 97);
    let sent = 0;
    const body = new ReadableStream({
      pull(controller) {
        if (sent >= 80) return controller.close();
        sent++;
        controller.enqueue(chunk);
      },
    });
    const big = await fetch(`${gw.url}/api/ml/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${viewer}`, 'content-type': 'application/octet-stream' },
      body,
      duplex: 'half',
    } as RequestInit);
    // 5 MB is above the default 1 MB limit: a chunked body is cut when it passes the limit.
    expect(big.status).toBe(413);
    const small = await fetch(`${gw.url}/api/ml/small/echo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${viewer}`, 'content-type': 'text/plain' },
      body: 'x'.repeat(2048),
    });
    expect(small.status).toBe(413);
    expect(await small.json()).toMatchObject({ code: 'GATEWAY_PAYLOAD_TOO_LARGE' });
    const fits = await fetch(`${gw.url}/api/ml/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${viewer}`, 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(900 * 1024, 98),
    });
    expect(((await fits.json()) as { bodyBytes: number }).bodyBytes).toBe(900 * 1024);
  });

  it('passes server-sent events as they come', async () => {
    const res = await get('/api/ml/sse', { authorization: `Bearer ${viewer}` });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const started = Date.now();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('first');
    expect(Date.now() - started).toBeLessThan(250);
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read())
      rest += new TextDecoder().decode(r.value);
    expect(rest).toContain('second');
  });

  it('answers CORS preflights for allowed origins only, without asking for credentials', async () => {
    const ok = await fetch(`${gw.url}/api/ml/v2/models`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://console.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://console.example');
    expect(ok.headers.get('access-control-allow-headers')).toBe('authorization');
    const other = await fetch(`${gw.url}/api/ml/v2/models`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const actual = await get('/api/ml/x', {
      authorization: `Bearer ${viewer}`,
      origin: 'https://console.example',
    });
    expect(actual.headers.get('access-control-allow-origin')).toBe('https://console.example');
    expect(actual.headers.get('access-control-expose-headers')).toContain('RateLimit-Policy');
  });
});

describe('upstream failures', () => {
  it('answers 504 naming the upstream when it is too slow', async () => {
    const res = await get('/api/ml/slow?ms=1500', { authorization: `Bearer ${viewer}` });
    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject({
      code: 'GATEWAY_UPSTREAM_TIMEOUT',
      detail: expect.stringContaining('ml-service'),
    });
  });
});

describe('operations', () => {
  it('exposes RED metrics per route, upstream and status', async () => {
    const text = await (await get('/metrics')).text();
    expect(text).toMatch(
      /gateway_requests_total\{[^}]*route="ml-api"[^}]*upstream="ml-service"[^}]*status_code="200"/,
    );
    expect(text).toMatch(/gateway_request_duration_seconds_bucket\{[^}]*route="ml-api"/);
    expect(text).toMatch(/gateway_rate_limited_total\{[^}]*route="ml-limited"/);
    expect(text).toMatch(/gateway_upstream_instances_available\{[^}]*upstream="ml-service"[^}]*\} 1/);
  });

  it('shows live config and upstream health to gateway:admin only', async () => {
    expect((await get('/admin/upstreams', { authorization: `Bearer ${viewer}` })).status).toBe(403);
    expect((await get('/admin/config')).status).toBe(401);
    const admin = await identity.token({ roles: ['admin'] });
    const res = await get('/admin/upstreams', { authorization: `Bearer ${admin}` });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      upstreams: Record<string, { url: string; available: boolean }[]>;
      rateLimitStore: unknown;
    };
    expect(body.upstreams['ml-service']).toEqual([expect.objectContaining({ url: ml.url, available: true })]);
    expect(body.rateLimitStore).toEqual({ policy: 'local', status: 'ok' });
    const config = (await (await get('/admin/config', { authorization: `Bearer ${admin}` })).json()) as {
      version: number;
      config: { services: unknown[] };
    };
    expect(config.config.services).toHaveLength(2);
  });

  it('serves the operator console at / with a strict content security policy', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('/console/app.js');
    const js = await get('/console/app.js');
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect(await js.text()).toContain('/api/auth/login');
    expect((await get('/console/../package.json')).status).toBe(404);
  });

  it('serves one merged OpenAPI document, the same bytes each time, and the reference page over it', async () => {
    const first = await get('/docs/openapi.json');
    expect(first.headers.get('content-type')).toContain('application/json');
    const text = await first.text();
    const doc = JSON.parse(text) as { paths: Record<string, unknown>; tags: { name: string }[] };
    expect(Object.keys(doc.paths)).toEqual([
      '/admin/config',
      '/admin/upstreams',
      '/api/auth/echo',
      '/api/ml/echo',
    ]);
    expect(doc.tags.map((t) => t.name)).toEqual(['auth', 'gateway', 'ml']);
    expect(await (await get('/docs/openapi.json')).text()).toBe(text);
    expect(await (await get('/docs/json')).json()).toEqual(doc);

    const page = await get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self';");
    const html = await page.text();
    expect(html).toContain('swagger-ui-bundle.js');
    expect(html).not.toMatch(/https?:\/\//);
    expect((await get('/docs/static/swagger-ui-bundle.js')).status).toBe(200);
  });

  it('reloads a good config and refuses a bad one, keeping the old', async () => {
    gw.writeConfig(testConfig().replace('paths: [/api/ml]\n', 'paths: [/api/ml, /api/models]\n'));
    const good = await gw.app.gateway.reload();
    expect(good.ok).toBe(true);
    const moved = await get('/api/models/v2/x', { authorization: `Bearer ${viewer}` });
    expect(((await moved.json()) as { path: string }).path).toBe('/v2/x');
    gw.writeConfig(testConfig().replace('read_timeout: 500', 'read_timeout: soon'));
    const bad = await gw.app.gateway.reload();
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/gateway\.yaml:\d+:\d+ services\[1\]\.read_timeout/);
    expect((await get('/api/models/v2/x', { authorization: `Bearer ${viewer}` })).status).toBe(200);
  });
});
