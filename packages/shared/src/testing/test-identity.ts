import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, SignJWT } from 'jose';

export interface TestIdentity {
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** Signs an access token the way the auth service does. */
  token(claims?: {
    roles?: string[];
    sub?: string;
    expiresIn?: number;
    sid?: string;
    act?: string;
  }): Promise<string>;
  close(): Promise<void>;
}

/**
 * A real JWKS endpoint on 127.0.0.1 and a signer with its key, so services' tests run the real
 * verifier without starting the auth service.
 *
 * @example
 * const id = await createTestIdentity();
 * const token = await id.token({ roles: ['viewer'] });
 */
export async function createTestIdentity(
  options: { issuer?: string; audience?: string } = {},
): Promise<TestIdentity> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const kid = `test-${randomUUID().slice(0, 8)}`;
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  const server: Server = createServer((req, res) => {
    if (req.url === '/.well-known/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = options.issuer ?? 'opsmesh-auth';
  const audience = options.audience ?? 'opsmesh';
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    issuer,
    audience,
    async token(claims = {}) {
      const now = Math.floor(Date.now() / 1000);
      const jwt = new SignJWT({
        roles: claims.roles ?? ['viewer'],
        sid: claims.sid ?? `ses_${randomUUID().replace(/-/g, '')}`,
        ...(claims.act ? { act: { sub: claims.act } } : {}),
      })
        .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'JWT' })
        .setSubject(claims.sub ?? `usr_${randomUUID().replace(/-/g, '').slice(0, 20)}`)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(now)
        .setJti(randomUUID())
        .setExpirationTime(now + (claims.expiresIn ?? 900));
      return jwt.sign(privateKey);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
