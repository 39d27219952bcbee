import { Type } from '@sinclair/typebox';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuthenticator } from '../src/identity/authenticator.js';
import { authGuard } from '../src/identity/guards.js';
import { requireAuth, requirePermission } from '../src/identity/hooks.js';
import { remoteJwks } from '../src/identity/key-source.js';
import { createTokenVerifier } from '../src/identity/token-verifier.js';
import { createService, type ServiceApp } from '../src/service/create-service.js';
import { runAuthMatrix } from '../src/testing/auth-matrix.js';
import { createTestIdentity, type TestIdentity } from '../src/testing/test-identity.js';

let app: ServiceApp | undefined;
let identity: TestIdentity | undefined;
afterEach(async () => {
  await app?.close();
  await identity?.close();
  app = undefined;
  identity = undefined;
});

function build(): ServiceApp {
  const a = createService({
    name: 'test-service',
    version: '1.0.0',
    logLevel: 'silent',
    processMetrics: false,
    bodyLimit: 2048,
  });
  // Routes go in plugins, registered after the kit's own (so OpenAPI sees them).
  a.register(async (r) => {
    r.post(
      '/echo',
      {
        schema: {
          body: Type.Object(
            { name: Type.String({ maxLength: 10 }), n: Type.Integer() },
            { additionalProperties: false },
          ),
        },
      },
      async (req) => req.body,
    );
    r.get(
      '/pick/:name',
      {
        schema: {
          params: Type.Object({
            name: Type.String({ pattern: '^[a-z]+$', examples: ['iris'] }),
          }),
          querystring: Type.Object({
            colour: Type.Optional(Type.Union(['red', 'green', 'blue'].map((c) => Type.Literal(c)))),
          }),
        },
      },
      async (req) => req.query,
    );
    r.get('/boom', async () => {
      throw new Error('secret internals');
    });
  });
  return a;
}

/** A service whose authenticator trusts a fresh test identity (kept in `identity`). */
async function buildWithIdentity(): Promise<{ built: ServiceApp; id: TestIdentity }> {
  const id = await createTestIdentity();
  identity = id;
  const verifier = createTokenVerifier({
    keys: remoteJwks({ url: id.jwksUrl }),
    issuer: id.issuer,
    audience: id.audience,
  });
  const built = createService({
    name: 't',
    version: '1',
    logLevel: 'silent',
    processMetrics: false,
    authenticator: createAuthenticator({ verifier }),
  });
  return { built, id };
}

describe('createService', () => {
  it('answers validation errors with problem+json naming the field', async () => {
    app = build();
    const res = await app.inject({ method: 'POST', url: '/echo', payload: { name: 'x'.repeat(11) } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const body = res.json();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.requestId).toBe(res.headers['x-request-id']);
    const fields = body.errors.map((e: { field: string }) => e.field);
    expect(fields).toContain('body.name');
    expect(fields).toContain('body.n');
  });

  it('rejects malformed JSON, wrong content types and oversized bodies with 4xx', async () => {
    app = build();
    const bad = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('BAD_REQUEST');
    const type = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'text/xml' },
      payload: '<a/>',
    });
    expect(type.statusCode).toBe(415);
    expect(type.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const big = await app.inject({ method: 'POST', url: '/echo', payload: { name: 'x'.repeat(5000), n: 1 } });
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('hides internals of a 500 and keeps caller request ids', async () => {
    app = build();
    const res = await app.inject({ method: 'GET', url: '/boom', headers: { 'x-request-id': 'abc-123' } });
    expect(res.statusCode).toBe(500);
    expect(res.json().detail).not.toMatch(/secret/);
    expect(res.json().requestId).toBe('abc-123');
  });

  it('lists the allowed values of a union of literals once, and an example for a pattern', async () => {
    app = build();
    const colour = await app.inject({ method: 'GET', url: '/pick/iris?colour=mauve' });
    expect(colour.statusCode).toBe(400);
    expect(colour.json().detail).toBe('querystring.colour must be one of "red", "green", "blue"');
    const name = await app.inject({ method: 'GET', url: '/pick/IRIS' });
    expect(name.json().detail).toBe('params.name must look like "iris" (pattern ^[a-z]+$)');
  });

  it('names routes as the caller sees them when the gateway stripped a prefix', async () => {
    app = build();
    const via = await app.inject({
      method: 'GET',
      url: '/nope?x=1',
      headers: { 'x-forwarded-prefix': '/api/test' },
    });
    expect(via.statusCode).toBe(404);
    expect(via.json()).toMatchObject({
      instance: '/api/test/nope',
      detail: expect.stringContaining('GET /api/test/nope'),
    });
    const direct = await app.inject({ method: 'GET', url: '/nope' });
    expect(direct.json()).toMatchObject({ instance: '/nope', detail: expect.stringContaining('GET /nope;') });
  });

  it('answers unknown routes with a 404 problem', async () => {
    app = build();
    const res = await app.inject({ method: 'GET', url: '/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('NOT_FOUND');
  });

  it('reports readiness checks with latency', async () => {
    app = build();
    app.addReadinessCheck('db', async () => {});
    app.addReadinessCheck('cache', async () => {
      throw new Error('connection refused');
    });
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(503);
    const body = res.json();
    expect(body.checks).toHaveLength(2);
    const cache = body.checks.find((c: { name: string }) => c.name === 'cache');
    expect(cache).toMatchObject({ status: 'fail', error: 'connection refused' });
    expect(typeof cache.latencyMs).toBe('number');
    const live = await app.inject({ method: 'GET', url: '/health/live' });
    expect(live.statusCode).toBe(200);
  });

  it('names its instance in both health answers, so a supervisor can tell its child from another process', async () => {
    app = build();
    const live = (await app.inject({ method: 'GET', url: '/health/live' })).json();
    const ready = (await app.inject({ method: 'GET', url: '/health/ready' })).json();
    expect(live.instance).toMatch(/^ins_\w+$/);
    expect(ready.instance).toBe(live.instance);
    const other = createService({
      name: 'x',
      version: '1',
      logLevel: 'silent',
      processMetrics: false,
      instance: 'ins_given',
    });
    try {
      expect((await other.inject({ method: 'GET', url: '/health/ready' })).json().instance).toBe('ins_given');
      expect((await other.inject({ method: 'GET', url: '/health/live' })).json().instance).toBe('ins_given');
    } finally {
      await other.close();
    }
  });

  it('exports RED metrics per route', async () => {
    app = build();
    await app.inject({ method: 'POST', url: '/echo', payload: { name: 'a', n: 1 } });
    await app.inject({ method: 'GET', url: '/boom' });
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(
      /http_requests_total\{method="POST",route="\/echo",status_code="200",service="test-service"\} 1/,
    );
    expect(text).toMatch(
      /http_requests_total\{method="GET",route="\/boom",status_code="500",service="test-service"\} 1/,
    );
    expect(text).toMatch(
      /http_request_duration_seconds_count\{service="test-service",method="POST",route="\/echo"\} 1/,
    );
  });

  it("leaves a long poll's wait out of the latency histogram, and still counts it", async () => {
    app = createService({
      name: 'test-service',
      version: '1.0.0',
      logLevel: 'silent',
      processMetrics: false,
    });
    app.register(async (r) => {
      r.get('/feed', { config: { longPoll: true } }, async () => ({ news: [] }));
    });
    await app.inject({ method: 'GET', url: '/feed' });
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(
      /http_requests_total\{method="GET",route="\/feed",status_code="200",service="test-service"\} 1/,
    );
    expect(text).not.toMatch(/http_request_duration_seconds_count\{[^}]*route="\/feed"/);
  });

  it('serves an OpenAPI document', async () => {
    app = build();
    const res = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.json().paths['/echo']).toBeDefined();
  });

  it('gives 401 without a token and 403 naming the missing permission', async () => {
    const { built, id } = await buildWithIdentity();
    app = built;
    app.get('/admin', { onRequest: requirePermission('users:write') }, async () => ({ ok: true }));
    expect((await app.inject({ url: '/admin' })).statusCode).toBe(401);
    const viewer = await id.token({ roles: ['viewer'] });
    const denied = await app.inject({ url: '/admin', headers: { authorization: `Bearer ${viewer}` } });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().detail).toMatch(/users:write/);
    const admin = await id.token({ roles: ['admin'] });
    expect(
      (await app.inject({ url: '/admin', headers: { authorization: `Bearer ${admin}` } })).statusCode,
    ).toBe(200);
  });
});

describe('auth guards', () => {
  it('check credentials before the body, wherever a route lists them', async () => {
    const { built, id } = await buildWithIdentity();
    app = built;
    const body = Type.Object({ name: Type.String() }, { additionalProperties: false });
    const seen: string[] = [];
    const custom = authGuard({ needsBody: true }, async (request: { body: unknown }) => {
      seen.push(typeof request.body);
      if (!(request.body as { name?: unknown }).name) throw new Error('unsigned');
    });
    app.register(async (r) => {
      r.post('/late', { preHandler: requirePermission('alerts:write'), schema: { body } }, async () => ({}));
      r.put('/mixed', { preValidation: [requireAuth()], schema: { body } }, async () => ({}));
      r.post('/signed', { preHandler: custom, schema: { body } }, async () => ({}));
    });
    await app.ready();
    const anonymous = await app.inject({ method: 'POST', url: '/late', payload: { wrong: 1 } });
    expect(anonymous.statusCode).toBe(401);
    const viewer = await id.token({ roles: ['viewer'] });
    const denied = await app.inject({
      method: 'POST',
      url: '/late',
      headers: { authorization: `Bearer ${viewer}` },
      payload: { wrong: 1 },
    });
    expect(denied.statusCode).toBe(403);
    expect((await app.inject({ method: 'PUT', url: '/mixed', payload: '{' })).statusCode).toBe(401);
    // A guard that reads the body runs after parsing and before validation.
    await app.inject({ method: 'POST', url: '/signed', payload: { wrong: 1 } });
    expect(seen).toEqual(['object']);
    expect(app.guardedRoutes.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /late',
      'PUT /mixed',
      'POST /signed',
    ]);
    const matrix = await runAuthMatrix({
      app,
      token: (roles) => id.token({ roles }),
      skip: ['POST /signed'],
    });
    expect(matrix.checked).toEqual(['POST /late', 'PUT /mixed']);
    expect(matrix.failures).toEqual([]);
  });
});

describe('NUL characters', () => {
  it('are refused by field name in bodies, arrays and queries; streams are left alone', async () => {
    const a = createService({ name: 'nul', version: '1', logLevel: 'silent', processMetrics: false });
    a.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));
    a.register(async (r) => {
      r.post('/json', async () => ({ ok: true }));
      r.post('/stream', async () => ({ ok: true }));
    });
    const body = await a.inject({ method: 'POST', url: '/json', payload: { items: [{ name: 'a\u0000b' }] } });
    expect(body.statusCode).toBe(400);
    expect(body.json().detail).toMatch(/body\.items\.0\.name contains a NUL/);
    const query = await a.inject({ method: 'POST', url: '/json?q=%00', payload: {} });
    expect(query.statusCode).toBe(400);
    const stream = await a.inject({
      method: 'POST',
      url: '/stream',
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.from('raw\u0000bytes'),
    });
    expect(stream.statusCode).toBe(200);
    await a.close();
  });
});

describe('the client address behind proxies', () => {
  const build = (trustProxy?: string) => {
    const a = createService({
      name: 't',
      version: '1',
      logLevel: 'silent',
      processMetrics: false,
      trustProxy,
    });
    a.get('/ip', async (req) => ({ ip: req.ip, protocol: req.protocol }));
    return a;
  };
  const ip = async (a: ServiceApp, headers: Record<string, string>, remoteAddress = '127.0.0.1') =>
    (await a.inject({ method: 'GET', url: '/ip', headers, remoteAddress })).json();

  it('believes no forwarding header by default, not even from loopback', async () => {
    app = build();
    expect(await ip(app, { 'x-forwarded-for': '6.6.6.6', 'x-forwarded-proto': 'https' })).toEqual({
      ip: '127.0.0.1',
      protocol: 'http',
    });
  });

  it('believes X-Forwarded-For from TRUST_PROXY only, taking the right-most untrusted hop', async () => {
    app = build('loopback, 10.0.0.0/8');
    expect(await ip(app, { 'x-forwarded-for': '6.6.6.6, 203.0.113.9, 10.0.0.4' })).toMatchObject({
      ip: '203.0.113.9',
    });
    expect(await ip(app, { 'x-forwarded-for': '6.6.6.6' }, '198.51.100.2')).toMatchObject({
      ip: '198.51.100.2',
    });
  });
});
