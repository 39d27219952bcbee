// Requests the fuzzing tier (test/fuzz) found answered outside the one error shape: each a
// 4xx problem+json here, by the kit, for every service.
import { connect } from 'node:net';
import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type ServiceApp } from '../src/service/create-service.js';

let app: ServiceApp;
let port: number;
const seen: unknown[] = [];

beforeAll(async () => {
  app = createService({ name: 'test-service', version: '1.0.0', logLevel: 'silent', processMetrics: false });
  app.register(async (r) => {
    r.get('/items/:id', { schema: { params: Type.Object({ id: Type.String() }) } }, async (req) => ({
      id: (req.params as { id: string }).id,
    }));
    r.get(
      '/list',
      {
        schema: {
          querystring: Type.Object({
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
            ratio: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
          }),
        },
      },
      async (req) => {
        seen.push(req.query);
        return { ok: true };
      },
    );
    // A route whose 400 has its own shape (as the Prometheus API's does).
    r.get(
      '/prom',
      {
        schema: {
          querystring: Type.Object({ query: Type.String() }),
          response: {
            200: Type.Object({ status: Type.String() }),
            400: Type.Object({ status: Type.String(), error: Type.Optional(Type.String()) }),
          },
        },
      },
      async () => ({ status: 'success' }),
    );
    r.post('/echo', async (req) => ({ body: req.body }));
    r.get(
      '/versions/:version',
      { schema: { params: Type.Object({ version: Type.Integer({ minimum: 1 }) }) } },
      async (req) => ({ version: (req.params as { version: number }).version }),
    );
    r.post(
      '/notes',
      { schema: { body: Type.Object({ description: Type.String(), weight: Type.Optional(Type.Number()) }) } },
      async (req) => {
        seen.push(req.body);
        return { ok: true };
      },
    );
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as { port: number }).port;
});
afterAll(() => app.close());

/** Writes raw bytes to the service and reads all it answers before closing. */
function raw(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let out = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => {
      out += c;
    });
    socket.on('close', () => resolve(out));
    socket.on('error', (err) => (out ? resolve(out) : reject(err)));
  });
}

describe('malformed requests answered by the kit', () => {
  it('answers a path escape the router cannot decode with a 400 problem', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/items/%`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    expect(body['detail']).toMatch(/percent-escape/);
  });

  it('refuses Infinity in a number or integer query parameter, which schema coercion lets through', async () => {
    for (const query of ['limit=Infinity', 'limit=-Infinity', 'ratio=Infinity', 'ratio=1e999']) {
      const res = await app.inject({ method: 'GET', url: `/list?${query}` });
      expect(res.statusCode, query).toBe(400);
      expect(res.json().detail, query).toMatch(/^querystring\.(limit|ratio) must be a finite number/);
    }
    expect(seen).toEqual([]);
    expect((await app.inject({ method: 'GET', url: '/list?limit=5&ratio=0.5' })).statusCode).toBe(200);
  });

  it('refuses a number parameter not written in decimal, which coercion would read as another number', async () => {
    seen.length = 0;
    const cases: [string, string][] = [
      ['/versions/1e3', 'params.version'],
      ['/versions/0x10', 'params.version'],
      ['/versions/%207', 'params.version'],
      ['/versions/7.0', 'params.version'],
      ['/list?limit=1e999', 'querystring.limit'],
      ['/list?limit=0b11', 'querystring.limit'],
      ['/list?ratio=0x1', 'querystring.ratio'],
    ];
    for (const [url, named] of cases) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().detail, url).toMatch(
        new RegExp(`^${named.replace('.', '\\.')} must be a (whole|decimal) number`),
      );
    }
    expect(seen).toEqual([]);
    expect((await app.inject({ method: 'GET', url: '/versions/12' })).json()).toEqual({ version: 12 });
    expect((await app.inject({ method: 'GET', url: '/list?ratio=.5' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/list?ratio=1e-3' })).statusCode).toBe(200);
    seen.length = 0;
  });

  it('refuses a body number past the range of a double, which a string field would store as "Infinity"', async () => {
    seen.length = 0;
    for (const payload of [
      '{"description":1e999}',
      '{"description":"x","weight":-1e400}',
      `{"description":"x","weight":1${'0'.repeat(400)}}`,
    ]) {
      const res = await app.inject({
        method: 'POST',
        url: '/notes',
        headers: { 'content-type': 'application/json' },
        payload,
      });
      expect(res.statusCode, payload.slice(0, 40)).toBe(400);
      expect(res.json().detail).toMatch(
        /^body\.(description|weight) is a number past the range of a 64-bit float/,
      );
    }
    expect(seen).toEqual([]);
    const fine = await app.inject({
      method: 'POST',
      url: '/notes',
      headers: { 'content-type': 'application/json' },
      payload: '{"description":"x","weight":1e300}',
    });
    expect(fine.statusCode).toBe(200);
    expect(seen).toEqual([{ description: 'x', weight: 1e300 }]);
    seen.length = 0;
    // A key is the caller's text: named up to 40 characters, since the problem is logged.
    const long = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: `{"${'k'.repeat(5000)}":1e999}`,
    });
    expect(long.statusCode).toBe(400);
    expect(long.json().detail).toMatch(new RegExp(`^body\\.${'k'.repeat(37)}\\.\\.\\. is a number past`));
    expect(long.body.length).toBeLessThan(1000);
    const nul = await app.inject({
      method: 'POST',
      url: '/notes',
      headers: { 'content-type': 'application/json' },
      payload: '{"description":"a\\u0000b"}',
    });
    expect(nul.json().detail).toBe('body.description contains a NUL character; remove it.');
  });

  it("keeps a problem's shape on a route whose error status has a schema of another shape", async () => {
    const res = await app.inject({ method: 'GET', url: '/prom' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('answers what is not HTTP, or headers past the limit, with a problem before closing', async () => {
    const garbage = await raw('GET /items/1 HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    expect(garbage).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4))).toMatchObject({
      status: 400,
      code: 'BAD_REQUEST',
    });
    const huge = await raw(`GET /items/1 HTTP/1.1\r\nHost: x\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`);
    expect(huge).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(huge.slice(huge.indexOf('\r\n\r\n') + 4))).toMatchObject({
      status: 431,
      code: 'HEADERS_TOO_LARGE',
    });
  });
  it("answers an HTTP/1.1 request without Host, and CONNECT, with a problem instead of Node's bare answers", async () => {
    const bodyOf = (answer: string) => JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
    const hostless = await raw('GET /items/1 HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect(hostless).toMatch(/^HTTP\/1\.1 400 /);
    expect(hostless).toMatch(/content-type: application\/problem\+json/i);
    expect(bodyOf(hostless)).toMatchObject({
      status: 400,
      detail: expect.stringMatching(/needs a Host header/),
    });
    const connect = await raw('CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n');
    expect(connect).toMatch(/^HTTP\/1\.1 405 /);
    expect(bodyOf(connect)).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });
    // HTTP/1.0 has no Host requirement.
    expect(await raw('GET /items/1 HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.1 200 /);
  });
  it('answers a head that trickles in with a 408 problem within the headers timeout, and lets an idle keep-alive connection be', async () => {
    // One header line a second, for ever (slowloris): cut at 20 s, checked every 2 s.
    const trickled = new Promise<{ answer: string; ms: number }>((resolve) => {
      const started = performance.now();
      let answer = '';
      let n = 0;
      const socket = connect(port, '127.0.0.1', () => socket.write('GET /items/1 HTTP/1.1\r\nHost: x\r\n'));
      const timer = setInterval(() => socket.writable && socket.write(`X-Line-${n++}: 1\r\n`), 1_000);
      socket.setEncoding('utf8');
      socket.on('data', (c: string) => {
        answer += c;
      });
      socket.on('close', () => {
        clearInterval(timer);
        resolve({ answer, ms: performance.now() - started });
      });
      socket.on('error', () => {});
    });
    // A keep-alive connection that answered one request and then waits longer than that.
    const idle = new Promise<string>((resolve) => {
      let answer = '';
      const socket = connect(port, '127.0.0.1', () =>
        socket.write('GET /items/1 HTTP/1.1\r\nHost: x\r\n\r\n'),
      );
      setTimeout(() => socket.write('GET /items/2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), 24_000);
      socket.setEncoding('utf8');
      socket.on('data', (c: string) => {
        answer += c;
      });
      socket.on('close', () => resolve(answer));
    });
    const { answer, ms } = await trickled;
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({
      status: 408,
      code: 'REQUEST_TIMEOUT',
    });
    expect(ms).toBeGreaterThan(19_000);
    expect(ms).toBeLessThan(30_000);
    expect((await idle).match(/HTTP\/1\.1 200 /g)).toHaveLength(2);
  }, 45_000);
  it('names the refused key of a valid JSON body with a __proto__ key, not a syntax error', async () => {
    const post = (payload: string) =>
      app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload });
    for (const payload of [
      '{"a":1,"__proto__":{"admin":true}}',
      '{"constructor":{"prototype":{"admin":true}}}',
    ]) {
      const res = await post(payload);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().detail).toMatch(/"__proto__" key or a "constructor" key .*rename or remove the key/);
    }
    const broken = await post('{"a":');
    expect(broken.statusCode).toBe(400);
    expect(broken.json().detail).toMatch(/not valid JSON/);
    expect((await post('{"constructor":{"name":"x"}}')).json()).toEqual({
      body: { constructor: { name: 'x' } },
    });
  });
});

describe('singleton header fields sent twice', () => {
  for (const [first, second, name] of [
    ['Authorization: Bearer aaa', 'Authorization: Bearer bbb', 'Authorization'],
    ['authorization: Bearer aaa', 'AUTHORIZATION: Bearer aaa', 'Authorization'],
    ['X-API-Key: omk_one', 'x-api-key: omk_two', 'X-API-Key'],
    ['Host: a.example', 'Host: b.example', 'Host'],
  ] as const) {
    it(`refuses two ${name} fields (${second.split(':')[0]}) with a 400 problem naming it`, async () => {
      const host = name === 'Host' ? '' : 'Host: localhost\r\n';
      const answer = await raw(
        `GET /items/1 HTTP/1.1\r\n${host}${first}\r\n${second}\r\nConnection: close\r\n\r\n`,
      );
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toMatch(/content-type: application\/problem\+json/i);
      expect(answer).toContain(`The ${name} header is sent more than once`);
    });
  }

  it('still answers one of each, and repeats of list fields', async () => {
    const answer = await raw(
      'GET /items/1 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer a\r\nX-API-Key: k\r\nAccept: text/plain\r\nAccept: application/json\r\nConnection: close\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
  });
});
