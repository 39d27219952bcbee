import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuthenticator, createTokenVerifier, localKeys, staticDiscovery } from '@opsmesh/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKeyIntrospector } from './api-key-introspector.js';

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
          client_id: 'key_1',
          exp: 4_000_000_000,
        }),
      );
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

describe('createApiKeyIntrospector', () => {
  it('maps an active key to an identity, self-introspecting, and the kit caches it', async () => {
    const introspect = createApiKeyIntrospector({ discovery: staticDiscovery({ 'auth-service': [base] }) });
    const verifier = createTokenVerifier({ keys: localKeys(() => undefined), issuer: 'i', audience: 'a' });
    const auth = createAuthenticator({ verifier, introspect, apiKeyTtlMs: 60_000 });
    const before = seen.length;
    const identity = await auth.authenticate({ 'x-api-key': 'omk_good' });
    await auth.authenticate({ authorization: 'Bearer omk_good' });
    expect(identity).toMatchObject({
      subject: 'usr_keyowner',
      kind: 'api-key',
      roles: ['operator'],
      keyId: 'key_1',
    });
    expect(identity.permissions.has('models:write')).toBe(true);
    expect(seen.length - before).toBe(1);
    expect(seen.at(-1)).toEqual({
      authorization: 'Bearer omk_good',
      body: { token: 'omk_good', token_type_hint: 'api_key' },
    });
  });

  it('answers null for an inactive key and throws when the auth service fails', async () => {
    const introspect = createApiKeyIntrospector({ discovery: staticDiscovery({ 'auth-service': [base] }) });
    expect(await introspect('omk_unknown')).toBeNull();
    await expect(introspect('omk_broken')).rejects.toMatchObject({ code: 'UNAVAILABLE', status: 503 });
    const none = createApiKeyIntrospector({ discovery: staticDiscovery({}) });
    await expect(none('omk_good')).rejects.toMatchObject({
      status: 503,
      detail: expect.stringContaining('auth-service'),
    });
  });
});
