// Bodies read as text are read as UTF-8, and only as UTF-8; an empty JSON body on a route that
// takes no body is no body.
import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type ServiceApp } from '../src/service/create-service.js';

let app: ServiceApp;

beforeAll(async () => {
  app = createService({ name: 'body-text', version: '1.0.0', logLevel: 'silent', processMetrics: false });
  app.post('/names', { schema: { body: Type.Object({ name: Type.String() }) } }, async (req) => ({
    name: (req.body as { name: string }).name,
  }));
  app.delete('/names/:id', async (req) => ({ deleted: (req.params as { id: string }).id }));
  app.post('/names/:id/archive', async (req) => ({ archived: (req.params as { id: string }).id }));
  app.get('/names', async () => ({ names: [] }));
  await app.ready();
});
afterAll(() => app.close());

const json = (payload: Buffer | string, contentType = 'application/json') =>
  app.inject({ method: 'POST', url: '/names', headers: { 'content-type': contentType }, payload });

describe('a JSON body that is not UTF-8', () => {
  it('is refused with 400 INVALID_UTF8 naming the offset of the first bad byte, not stored as U+FFFD', async () => {
    const bad = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const res = await json(bad);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 400, code: 'INVALID_UTF8' });
    expect(res.json().detail).toMatch(/not valid UTF-8 .*offset 9\b.*encode the text as UTF-8/);
  });

  it('is refused for each kind of ill-formed sequence (overlong, surrogate, truncated, past U+10FFFF)', async () => {
    for (const bytes of [
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xe2, 0x82],
      [0xf4, 0x90, 0x80, 0x80],
    ]) {
      const res = await json(
        Buffer.concat([Buffer.from('{"name":"a'), Buffer.from(bytes), Buffer.from('"}')]),
      );
      expect(res.json()).toMatchObject({ status: 400, code: 'INVALID_UTF8' });
      expect(res.json().detail).toMatch(/offset 10\b/);
    }
  });

  it('takes well-formed UTF-8, multi-byte characters included, as it always did', async () => {
    const res = await json(Buffer.from('{"name":"Zoë 🚀 名前"}', 'utf8'), 'application/json; charset=UTF-8');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ name: 'Zoë 🚀 名前' });
  });
});

describe('a text body declared in another charset', () => {
  it('is refused with 415 UNSUPPORTED_CHARSET naming UTF-8 as the one accepted', async () => {
    for (const contentType of [
      'application/json; charset=iso-8859-1',
      'application/json;charset="windows-1252"',
      'application/json; charset=UTF-16',
    ]) {
      const res = await json('{"name":"x"}', contentType);
      expect(res.statusCode).toBe(415);
      expect(res.json()).toMatchObject({ status: 415, code: 'UNSUPPORTED_CHARSET' });
      expect(res.json().detail).toMatch(/only UTF-8 is accepted.*charset=utf-8/);
    }
  });

  it('does not repeat a charset that does not look like one', async () => {
    const res = await json('{"name":"x"}', 'application/json; charset=<script>');
    expect(res.statusCode).toBe(415);
    expect(res.json().detail).toMatch(/"unrecognised"/);
  });
});

describe('an empty body labelled application/json', () => {
  const empty = (method: 'DELETE' | 'POST' | 'GET', url: string) =>
    app.inject({ method, url, headers: { 'content-type': 'application/json' }, payload: '' });

  it('is no body on a route that takes none (a DELETE, an action, a GET)', async () => {
    const del = await empty('DELETE', '/names/n1');
    expect(del.statusCode).toBe(200);
    expect(del.json()).toEqual({ deleted: 'n1' });
    expect((await empty('POST', '/names/n1/archive')).json()).toEqual({ archived: 'n1' });
    expect((await empty('GET', '/names')).json()).toEqual({ names: [] });
  });

  it('still answers 400 on a route that needs a body, saying it needs one', async () => {
    const res = await empty('POST', '/names');
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(/body is empty .*send a JSON document/);
  });
});
