import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { remoteJwks } from './key-source.js';

function jwk(kid: string) {
  const { publicKey } = generateKeyPairSync('ed25519');
  return { ...(publicKey.export({ format: 'jwk' }) as object), kid, alg: 'EdDSA', use: 'sig' };
}

describe('remoteJwks', () => {
  it('caches, refetches on an unknown kid at most once per cooldown, and ignores non-Ed25519 keys', async () => {
    let calls = 0;
    let keys: object[] = [jwk('a'), { kty: 'RSA', kid: 'rsa', n: 'x', e: 'AQAB' }];
    const fakeFetch = (async () => {
      calls++;
      return new Response(JSON.stringify({ keys }), { headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    const source = remoteJwks({ url: 'http://jwks.invalid/', fetch: fakeFetch, cooldownMs: 60_000 });
    expect(await source.getKey('a')).toBeDefined();
    expect(await source.getKey('a')).toBeDefined();
    expect(calls).toBe(1);
    expect(await source.getKey('rsa')).toBeUndefined();
    // Within the cooldown, unknown kids are answered from the cache: a flood costs nothing.
    for (let i = 0; i < 50; i++) await source.getKey(`forged-${i}`);
    expect(calls).toBe(1);
    keys = [jwk('b')];
    await source.refresh();
    expect(await source.getKey('b')).toBeDefined();
    expect(await source.getKey('a')).toBeUndefined();
  });
});

describe('verifier and an unreachable JWKS', () => {
  it('reports an outage, not a bad token', async () => {
    const { createTokenVerifier, TokenError } = await import('./token-verifier.js');
    const { createAuthenticator } = await import('./authenticator.js');
    const { createTestIdentity } = await import('../testing/test-identity.js');
    const id = await createTestIdentity();
    const token = await id.token({ roles: ['viewer'] });
    await id.close();
    const verifier = createTokenVerifier({
      keys: remoteJwks({ url: id.jwksUrl, timeoutMs: 500 }),
      issuer: id.issuer,
      audience: id.audience,
    });
    const err = await verifier.verify(token).catch((e) => e);
    expect(err).not.toBeInstanceOf(TokenError);
    const auth = createAuthenticator({ verifier });
    const problem = await auth.authenticate({ authorization: `Bearer ${token}` }).catch((e) => e);
    expect(problem.status).toBe(503);
  });
});
