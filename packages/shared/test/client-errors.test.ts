import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type ServiceApp } from '../src/service/create-service.js';

const SECRET = 'hunter2-correct-horse';
function build(): ServiceApp {
  const a = createService({
    name: 'test-service',
    version: '1.0.0',
    logLevel: 'silent',
    processMetrics: false,
    bodyLimit: 2048,
  });
  a.register(async (r) => {
    r.addContentTypeParser('text/csv', { parseAs: 'string' }, (_req, body, done) =>
      done(null, { csv: body }),
    );
    const body = Type.Object(
      { name: Type.String(), password: Type.String() },
      { additionalProperties: false },
    );
    r.post('/json', { schema: { body } }, async () => ({ ok: true }));
    r.post(
      '/csv',
      { schema: { consumes: ['text/csv'], body: Type.Object({ csv: Type.String() }) } },
      async () => ({ ok: true }),
    );
    r.post('/parse', async (req) => JSON.parse(String((req.body as { text?: string }).text)));
    r.get('/decode', async (req) => decodeURIComponent(String((req.query as { q?: string }).q)));
  });
  return a;
}

/** The kit's answers to what a client got wrong: 4xx naming the fix, never repeating what was sent. */
describe('client errors through the shared kit', () => {
  let app: ServiceApp;
  beforeAll(() => {
    app = build();
  });
  afterAll(() => app.close());
  const send = (url: string, contentType: string, payload: string) =>
    app.inject({ method: 'POST', url, headers: { 'content-type': contentType }, payload });

  it('answers a body in a type the route does not take with 415 naming the types it takes', async () => {
    const form = await send(
      '/json',
      'application/x-www-form-urlencoded',
      JSON.stringify({ name: 'a', password: SECRET }),
    );
    expect(form.statusCode).toBe(415);
    expect(form.json().detail).toBe(
      'Content type "application/x-www-form-urlencoded" is not accepted here; send application/json.',
    );
    for (const type of ['text/plain', 'application/json-seq', `${SECRET}/x; q=1`]) {
      const res = await send('/json', type, SECRET);
      expect(res.statusCode, type).toBe(415);
      expect(res.body).not.toContain(SECRET);
    }
    const csv = await send('/csv', 'application/json', '{}');
    expect(csv.statusCode).toBe(415);
    expect(csv.json().detail).toMatch(/send text\/csv\.$/);
    const ok = await send('/csv', 'text/csv; charset=utf-8', 'a,b');
    expect(ok.statusCode).toBe(200);
  });

  it('names the real limit of a body that is too large', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/json',
      payload: { name: 'x'.repeat(5000), password: SECRET },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().detail).toMatch(/limit of 2048 bytes/);
  });

  it('repeats neither unknown field names that are not name-like nor parser messages', async () => {
    const unknown = await app.inject({
      method: 'POST',
      url: '/json',
      payload: { name: 'a', password: 'b', [`{"password":"${SECRET}"}`]: '' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).not.toContain(SECRET);
    expect(unknown.json().detail).toMatch(/accepted fields: name, password/);
    const syntax = await app.inject({ method: 'POST', url: '/parse', payload: { text: `{${SECRET}` } });
    expect(syntax.statusCode).toBe(400);
    expect(syntax.body).not.toContain(SECRET);
    const uri = await app.inject({ method: 'GET', url: `/decode?q=${encodeURIComponent(SECRET)}%E0%A4%A` });
    expect(uri.statusCode).toBe(400);
    expect(uri.body).not.toContain(SECRET);
    expect(uri.headers['content-type']).toMatch(/problem\+json/);
  });
});
