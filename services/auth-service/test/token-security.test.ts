import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { createTokenVerifier, remoteJwks } from '@opsmesh/shared';
import { base64url, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  bearer,
  type Harness,
  IN_MEMORY,
  login,
  startAuth,
  userWithRoles,
} from './helpers.js';

/** Forged and broken tokens: every one must be a 401 problem, never accepted, never a 500. */
describe('access token verification', () => {
  let h: Harness;
  let good: string;
  beforeAll(async () => {
    h = await startAuth(IN_MEMORY);
    good = (await login(h.app, ADMIN_EMAIL, ADMIN_PASSWORD)).access_token;
  });
  afterAll(() => h?.close());

  const parts = (t: string) => t.split('.') as [string, string, string];
  const decode = (s: string) => JSON.parse(Buffer.from(s, 'base64url').toString());
  const encode = (o: unknown) => base64url.encode(JSON.stringify(o));

  async function expect401(token: string, detail?: RegExp) {
    const res = await h.app.inject({ url: '/me', headers: bearer(token) });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.json().code).toBe('UNAUTHENTICATED');
    if (detail) expect(res.json().detail).toMatch(detail);
  }

  it('accepts the genuine token', async () => {
    expect((await h.app.inject({ url: '/me', headers: bearer(good) })).statusCode).toBe(200);
  });

  it('refuses alg none', async () => {
    const [header, payload] = parts(good);
    await expect401(`${encode({ ...decode(header), alg: 'none' })}.${payload}.`, /EdDSA/);
  });

  it('refuses HS256 signed with the public key (algorithm confusion)', async () => {
    const [header] = parts(good);
    const kid = decode(header).kid;
    const jwk = h.deps.jwt.jwks().keys.find((k) => k.kid === kid)!;
    const secret = new TextEncoder().encode(JSON.stringify(jwk));
    const forged = await new SignJWT(decode(parts(good)[1]))
      .setProtectedHeader({ alg: 'HS256', kid })
      .sign(secret);
    await expect401(forged, /EdDSA/);
  });

  it('refuses a token signed by another key under a known kid, and an unknown kid', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const kid = decode(parts(good)[0]).kid;
    const claims = decode(parts(good)[1]);
    const sameKid = await new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', kid }).sign(privateKey);
    await expect401(sameKid, /signature/);
    const otherKid = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', kid: 'nobody-knows-me' })
      .sign(privateKey);
    await expect401(otherKid, /unknown key/);
  });

  it('refuses a tampered payload', async () => {
    const [header, payload, signature] = parts(good);
    const claims = { ...decode(payload), roles: ['admin', 'operator'] };
    await expect401(`${header}.${encode(claims)}.${signature}`, /signature/);
  });

  it('refuses expired, not-yet-valid, wrong issuer and wrong audience tokens', async () => {
    const me = decode(parts(good)[1]);
    const now = Math.floor(Date.now() / 1000);
    // Signed by the real key: only the claims are wrong.
    const expired = (await h.deps.jwt.sign({ sub: me.sub, roles: ['admin'], ttlSeconds: -120 })).token;
    await expect401(expired, /expired/);
    const row = await h.deps.database.db
      .selectFrom('signing_keys')
      .selectAll()
      .where('retired_at', 'is', null)
      .executeTakeFirstOrThrow();
    const privateKey = createPrivateKey(row.private_key);
    const base = () =>
      new SignJWT({ roles: ['admin'] })
        .setProtectedHeader({ alg: 'EdDSA', kid: row.kid })
        .setSubject(me.sub)
        .setJti('j')
        .setIssuedAt(now);
    await expect401(
      await base()
        .setIssuer(h.config.JWT_ISSUER)
        .setAudience(h.config.JWT_AUDIENCE)
        .setNotBefore(now + 3600)
        .setExpirationTime(now + 7200)
        .sign(privateKey),
      /not valid yet/,
    );
    await expect401(
      await base()
        .setIssuer('someone-else')
        .setAudience(h.config.JWT_AUDIENCE)
        .setExpirationTime(now + 600)
        .sign(privateKey),
      /issued/,
    );
    await expect401(
      await base()
        .setIssuer(h.config.JWT_ISSUER)
        .setAudience('another-api')
        .setExpirationTime(now + 600)
        .sign(privateKey),
      /audience/,
    );
    // The same construction with the right claims is accepted, so the refusals above are about the claims.
    const ok = await base()
      .setIssuer(h.config.JWT_ISSUER)
      .setAudience(h.config.JWT_AUDIENCE)
      .setExpirationTime(now + 600)
      .sign(privateKey);
    expect((await h.app.inject({ url: '/me', headers: bearer(ok) })).statusCode).toBe(200);
  });

  it('refuses garbage and a wrong scheme', async () => {
    await expect401('not-a-jwt');
    await expect401('a.b.c');
    const res = await h.app.inject({
      url: '/me',
      headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toMatch(/Bearer/);
  });

  it('a viewer on an admin route gets 403 naming the permission', async () => {
    const viewer = await userWithRoles(h.app, good, ['viewer']);
    const res = await h.app.inject({ url: '/users', headers: bearer(viewer.access_token) });
    expect(res.statusCode).toBe(403);
    expect(res.json().detail).toMatch(/users:read/);
  });

  it('rotating the signing key keeps earlier tokens valid and publishes both keys', async () => {
    const before = await login(h.app, ADMIN_EMAIL, ADMIN_PASSWORD);
    const oldKid = decode(parts(before.access_token)[0]).kid;
    const rotated = await h.app.inject({
      method: 'POST',
      url: '/keys/rotate',
      headers: bearer(before.access_token),
    });
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json().retired).toContain(oldKid);
    const jwks = (await h.app.inject({ url: '/.well-known/jwks.json' })).json();
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toEqual(
      expect.arrayContaining([oldKid, rotated.json().kid]),
    );
    expect((await h.app.inject({ url: '/.well-known/jwks.json' })).headers['cache-control']).toMatch(
      /max-age/,
    );
    expect((await h.app.inject({ url: '/me', headers: bearer(before.access_token) })).statusCode).toBe(200);
    const after = await login(h.app, ADMIN_EMAIL, ADMIN_PASSWORD);
    expect(decode(parts(after.access_token)[0]).kid).toBe(rotated.json().kid);
  });

  it('the shared verifier accepts the service tokens through the published JWKS', async () => {
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const address = h.app.server.address() as { port: number };
    const verifier = createTokenVerifier({
      keys: remoteJwks({ url: `http://127.0.0.1:${address.port}/.well-known/jwks.json`, cooldownMs: 0 }),
      issuer: h.config.JWT_ISSUER,
      audience: h.config.JWT_AUDIENCE,
    });
    const tokens = await login(h.app, ADMIN_EMAIL, ADMIN_PASSWORD);
    const id = await verifier.verify(tokens.access_token);
    expect(id.roles).toEqual(['admin']);
    // Rotation after the JWKS was cached: the unknown kid triggers one refetch.
    await h.app.inject({ method: 'POST', url: '/keys/rotate', headers: bearer(tokens.access_token) });
    const fresh = await login(h.app, ADMIN_EMAIL, ADMIN_PASSWORD);
    await expect(verifier.verify(fresh.access_token)).resolves.toMatchObject({ subject: id.subject });
  });
});
