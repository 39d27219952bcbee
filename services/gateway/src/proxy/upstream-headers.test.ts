import { describe, expect, it } from 'vitest';
import { compileTransform } from '../transform/transformers.js';
import {
  answerHeaders,
  applyHeaderOps,
  headerName,
  headerValue,
  upstreamHeaders,
} from './upstream-headers.js';

const pairs = (list: string[]) => {
  const out: [string, string][] = [];
  for (let i = 0; i < list.length; i += 2) out.push([list[i]!, list[i + 1]!]);
  return out;
};
const raw = (list: string[]) => list.map((s) => Buffer.from(s, 'latin1'));

describe('upstreamHeaders', () => {
  const facts = {
    route: 'ml-api',
    stripped: '/api/ml',
    identity: null,
    clientIp: '10.0.0.7',
    protocol: 'http',
    host: 'gw.example',
    requestId: 'req_1',
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  };

  it('drops hop-by-hop, Connection-listed and client-sent x-opsmesh-* headers and states the forwarding, stripped prefix included', () => {
    const out = upstreamHeaders(
      {
        host: 'gw.example',
        connection: 'keep-alive, x-hop',
        'x-hop': '1',
        'transfer-encoding': 'chunked',
        expect: '100-continue',
        'x-opsmesh-user': 'usr_forged',
        'x-forwarded-for': '203.0.113.9',
        'x-forwarded-host': 'forged.example',
        forwarded: 'for=6.6.6.6',
        'x-forwarded-prefix': '/somewhere-else',
        'x-request-id': 'client-id',
        accept: 'application/json',
        'set-cookie': ['a=1', 'b=2'],
      },
      facts,
      undefined,
    );
    expect(out.slice(0, 2)).toEqual(['host', '']);
    expect(pairs(out.slice(2))).toEqual([
      ['accept', 'application/json'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
      ['x-opsmesh-route', 'ml-api'],
      // The gateway's verdict alone: nothing the client wrote is passed on.
      ['x-forwarded-for', '10.0.0.7'],
      ['x-forwarded-proto', 'http'],
      ['x-forwarded-host', 'gw.example'],
      ['forwarded', 'for=10.0.0.7;proto=http;host=gw.example'],
      ['x-forwarded-prefix', '/api/ml'],
      ['x-request-id', 'req_1'],
      ['traceparent', facts.traceparent],
    ]);
  });

  it('sends the verified identity', () => {
    const out = upstreamHeaders(
      {},
      {
        ...facts,
        identity: {
          subject: 'usr_1',
          kind: 'user',
          roles: ['viewer', 'operator'],
          permissions: new Set(),
          sessionId: 'ses_1',
          expiresAt: 0,
          token: 't',
        },
      },
      undefined,
    );
    expect(headerValue(out, 'x-opsmesh-user')).toBe('usr_1');
    expect(headerValue(out, 'x-opsmesh-subject')).toBe('usr_1');
    expect(headerValue(out, 'x-opsmesh-roles')).toBe('viewer,operator');
    expect(headerValue(out, 'x-opsmesh-session')).toBe('ses_1');
    expect(headerValue(out, 'x-opsmesh-actor')).toBeUndefined();
  });

  it("sends each identity's own headers on every request, the same identity's again unchanged", () => {
    const base = { permissions: new Set<never>(), expiresAt: 0, token: 't' };
    const user = { ...base, subject: 'usr_1', kind: 'user' as const, roles: ['viewer' as const] };
    const service = {
      ...base,
      subject: 'svc_ml',
      kind: 'service' as const,
      roles: ['operator' as const],
      actor: 'svc_chatops',
    };
    const identityOf = (identity: typeof user | typeof service) =>
      pairs(upstreamHeaders({ accept: '*/*' }, { ...facts, identity }, undefined)).filter(([n]) =>
        n.startsWith('x-opsmesh-'),
      );
    const first = identityOf(user);
    expect(identityOf(service)).toEqual([
      ['x-opsmesh-route', 'ml-api'],
      ['x-opsmesh-subject', 'svc_ml'],
      ['x-opsmesh-kind', 'service'],
      ['x-opsmesh-roles', 'operator'],
      ['x-opsmesh-actor', 'svc_chatops'],
    ]);
    expect(identityOf(user)).toEqual(first);
    expect(first).toEqual([
      ['x-opsmesh-route', 'ml-api'],
      ['x-opsmesh-subject', 'usr_1'],
      ['x-opsmesh-kind', 'user'],
      ['x-opsmesh-user', 'usr_1'],
      ['x-opsmesh-roles', 'viewer'],
    ]);
  });

  it('applies the request-transformer to the forwarded headers, never to the host slot', () => {
    const transform = compileTransform({
      remove: { headers: ['x-drop'] },
      add: { headers: { 'x-added': 'yes' } },
    });
    const out = upstreamHeaders({ 'x-drop': '1', accept: '*/*' }, facts, transform);
    expect(out.slice(0, 2)).toEqual(['host', '']);
    expect(headerValue(out, 'x-drop')).toBeUndefined();
    expect(headerValue(out, 'x-added')).toBe('yes');
    expect(headerValue(out, 'accept')).toBe('*/*');
  });
});

describe('answerHeaders', () => {
  const gateway = ['x-request-id', 'req_1', 'x-frame-options', 'DENY', 'ratelimit-remaining', '4'];

  it('lets the upstream override a gateway header of the same name, and drops hop-by-hop ones', () => {
    const out = answerHeaders(
      gateway,
      raw(['Content-Type', 'application/json', 'X-Frame-Options', 'SAMEORIGIN', 'Connection', 'keep-alive']),
      undefined,
    );
    expect(pairs(out)).toEqual([
      ['x-request-id', 'req_1'],
      ['ratelimit-remaining', '4'],
      ['content-type', 'application/json'],
      ['x-frame-options', 'SAMEORIGIN'],
    ]);
  });

  it('drops every overridden gateway header and leaves no gap in the pairs', () => {
    const out = answerHeaders(
      gateway,
      raw(['Ratelimit-Remaining', '3', 'Transfer-Encoding', 'chunked', 'X-Request-Id', 'up', 'Etag', '"e"']),
      undefined,
    );
    expect(pairs(out)).toEqual([
      ['x-frame-options', 'DENY'],
      ['ratelimit-remaining', '3'],
      ['x-request-id', 'up'],
      ['etag', '"e"'],
    ]);
    expect(out).toHaveLength(8);
    expect(Object.keys(out)).toHaveLength(8);
  });

  it('keeps repeated headers and transforms only the upstream ones', () => {
    const transform = compileTransform({
      remove: { headers: ['x-internal', 'x-request-id'] },
      rename: { headers: { 'x-upstream': 'x-renamed' } },
    });
    const out = answerHeaders(
      gateway,
      raw(['Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'X-Internal', 'i', 'X-Upstream', 'u']),
      transform,
    );
    expect(pairs(out)).toEqual([
      ['x-request-id', 'req_1'],
      ['x-frame-options', 'DENY'],
      ['ratelimit-remaining', '4'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
      ['x-renamed', 'u'],
    ]);
  });

  it('applyHeaderOps leaves the kept prefix alone', () => {
    const transform = compileTransform({ replace: { headers: { 'x-mode': 'new' } } });
    expect(applyHeaderOps(['x-mode', 'kept', 'x-mode', 'old'], 2, transform)).toEqual([
      'x-mode',
      'kept',
      'x-mode',
      'new',
    ]);
  });
});

describe('headerName', () => {
  it('lower-cases every name, the common ones matched without a copy and all others as before', () => {
    const names = [
      'Content-Type',
      'CONTENT-LENGTH',
      'date',
      'Keep-Alive',
      'ETag',
      'X-Trace',
      // Same lengths as known names, other letters: never taken for them.
      'data',
      'etah',
      'Content-Typf',
      'x-custom-header',
      'Set-Cookie2',
      "we!rd#name'",
    ];
    for (const n of names) expect(headerName(Buffer.from(n, 'latin1'))).toBe(n.toLowerCase());
    // Tokens whose bytes fold onto a known name's only through case.
    expect(headerName(Buffer.from('vary'))).toBe('vary');
    expect(headerName(Buffer.from('v^ry'))).toBe('v^ry');
  });

  it('gives the answer lower-case names whatever case the upstream used', () => {
    const raw = ['CONTENT-TYPE', 'text/plain', 'Connection', 'keep-alive', 'X-Up', '1'].map((s) =>
      Buffer.from(s),
    );
    expect(answerHeaders(['x-request-id', 'r1'], raw, undefined)).toEqual([
      'x-request-id',
      'r1',
      'content-type',
      'text/plain',
      'x-up',
      '1',
    ]);
  });
});
