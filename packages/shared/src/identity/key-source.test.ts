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
