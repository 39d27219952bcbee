import { describe, expect, it } from 'vitest';
import { createTestIdentity, type TestIdentity } from '../testing/test-identity.js';
import { createAuthenticator } from './authenticator.js';
import { remoteJwks } from './key-source.js';
import { RevocationList } from './revocation-list.js';
import { createTokenVerifier } from './token-verifier.js';

/** A verifier on the test identity's real JWKS endpoint. */
function verifierFor(id: TestIdentity, extra: { clockToleranceSec?: number; now?: () => number } = {}) {
  return createTokenVerifier({
    keys: remoteJwks({ url: id.jwksUrl }),
    issuer: id.issuer,
    audience: id.audience,
    ...extra,
  });
}

describe('authenticateCached', () => {
  it('answers a verified bearer token without waiting, and leaves everything else to authenticate', async () => {
    const id = await createTestIdentity();
    try {
      const verifier = verifierFor(id);
      const revocations = new RevocationList();
      const auth = createAuthenticator({ verifier, revocations });
      const token = await id.token({ roles: ['viewer'], sub: 'usr_cached' });
      const headers = { authorization: `Bearer ${token}` };
      // Not verified yet: the caller must take the full path.
      expect(auth.authenticateCached!(headers)).toBeUndefined();
      const verified = await auth.authenticate(headers);
      expect(auth.authenticateCached!(headers)).toBe(verified);
      // Twice: the second answer comes from the memo in front of the verifier's cache.
      expect(auth.authenticateCached!({ authorization: `Bearer ${token}` })?.subject).toBe('usr_cached');
      // Forms the full path parses (or refuses) are not answered here.
      expect(auth.authenticateCached!({ authorization: `bearer ${token}` })).toBeUndefined();
      expect(auth.authenticateCached!({ authorization: `Bearer ${token} ` })).toBeUndefined();
      expect(auth.authenticateCached!({ ...headers, 'x-api-key': 'omk_x' })).toBeUndefined();
      expect(auth.authenticateCached!({ authorization: `Bearer ${token.slice(0, -1)}x` })).toBeUndefined();
      // A revocation after the token was issued takes effect on the cached path at once.
      revocations.apply({
        cursor: 1,
        reset: false,
        events: [
          { seq: 1, kind: 'subject', id: 'usr_cached', at: new Date(Date.now() + 1000).toISOString() },
        ],
      });
      expect(auth.authenticateCached!(headers)).toBeUndefined();
      await expect(auth.authenticate(headers)).rejects.toMatchObject({ status: 401 });
    } finally {
      await id.close();
    }
  });

  it('does not answer an expired token from its memo', async () => {
    let now = Date.now();
    const id = await createTestIdentity();
    try {
      const verifier = verifierFor(id, { clockToleranceSec: 0, now: () => now / 1000 });
      const auth = createAuthenticator({ verifier, now: () => now });
      const token = await id.token({ expiresIn: 60 });
      const headers = { authorization: `Bearer ${token}` };
      await auth.authenticate(headers);
      expect(auth.authenticateCached!(headers)).toBeDefined();
      now += 61_000;
      expect(auth.authenticateCached!(headers)).toBeUndefined();
      // Expired is the 401 everyone meets after a quarter of an hour: it says how to go on, both
      // from the memo and from a fresh verification.
      const howToGoOn =
        /expired; get a new one with the refresh token \(POST \/api\/auth\/refresh\) or log in again/;
      await expect(auth.authenticate(headers)).rejects.toThrow(howToGoOn);
      const fresh = createAuthenticator({
        verifier: verifierFor(id, { clockToleranceSec: 0, now: () => now / 1000 }),
        now: () => now,
      });
      await expect(fresh.authenticate(headers)).rejects.toThrow(howToGoOn);
    } finally {
      await id.close();
    }
  });
});
