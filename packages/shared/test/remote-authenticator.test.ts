import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthClient, remoteAuthenticator, remoteIntrospector } from '../src/clients/auth-client.js';
import { staticDiscovery } from '../src/http/discovery.js';
import { createHttpClient } from '../src/http/http-client.js';

let server: Server;
let base: string;
const seen: { authorization: string | undefined; body: unknown }[] = [];

async function bodyOf(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const c of req) text += c;
  return JSON.parse(text);
}

beforeAll(async () => {
  // A stand-in for the auth service's POST /introspect, answering as its contract says.
  server = createServer(async (req, res) => {
    const body = (await bodyOf(req)) as { token: string };
    seen.push({ authorization: req.headers.authorization, body });
    res.setHeader('content-type', 'application/json');
    if (body.token === 'omk_good') {
      res.end(
        JSON.stringify({
          active: true,
          sub: 'usr_keyowner',
          roles: ['operator', 'bogus'],
          // Scoped to two permissions, one of which the owner's roles no longer hold.
          permissions: ['models:write', 'users:write'],
          client_id: 'key_1',
          exp: 4_000_000_000,
        }),
      );
    } else if (body.token === 'omk_refused') {
      res.statusCode = 401;
      res.setHeader('content-type', 'application/problem+json');
      res.end(JSON.stringify({ type: 't', title: 'x', status: 401, detail: 'no', code: 'UNAUTHENTICATED' }));
    } else if (body.token === 'omk_broken') {
      res.statusCode = 500;
      res.end('{}');
    } else {
      res.end(JSON.stringify({ active: false }));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('remote API-key authentication', () => {
  it('maps an active key to an identity with its scoped permissions, self-introspecting, cached', async () => {
    const auth = remoteAuthenticator({
      authUrl: base,
      issuer: 'i',
      audience: 'a',
      apiKeyTtlMs: 60_000,
      revocationFeed: false,
    });
    const before = seen.length;
    const identity = await auth.authenticate({ 'x-api-key': 'omk_good' });
    await auth.authenticate({ authorization: 'Bearer omk_good' });
    expect(identity).toMatchObject({
      subject: 'usr_keyowner',
      kind: 'api-key',
      roles: ['operator'],
      keyId: 'key_1',
    });
    expect([...identity.permissions]).toEqual(['models:write']);
    expect(seen.length - before).toBe(1);
    expect(seen.at(-1)).toEqual({ authorization: 'Bearer omk_good', body: { token: 'omk_good' } });
  });

  it('answers null for inactive or refused keys, and 503 when the auth service cannot answer', async () => {
    const introspect = remoteIntrospector(
      createAuthClient(
        createHttpClient({
          service: 'auth-service',
          discovery: staticDiscovery({ 'auth-service': [base] }),
          retries: 0,
        }),
      ),
    );
    expect(await introspect('omk_unknown')).toBeNull();
    expect(await introspect('omk_refused')).toBeNull();
    await expect(introspect('omk_broken')).rejects.toMatchObject({ code: 'UNAVAILABLE', status: 503 });
    const none = remoteIntrospector(
      createAuthClient(createHttpClient({ service: 'auth-service', discovery: staticDiscovery({}) })),
    );
    await expect(none('omk_good')).rejects.toMatchObject({
      status: 503,
      detail: expect.stringContaining('auth-service'),
    });
  });
});
