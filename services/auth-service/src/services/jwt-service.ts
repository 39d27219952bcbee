import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomUUID,
  sign as signBytes,
} from 'node:crypto';
import type { KeySource } from '@opsmesh/shared/identity/key-source';
import { newId, randomBase62 } from '@opsmesh/shared/ids/new-id';
import type { SigningKeyRepository } from '../models/signing-key.js';

export const ACCESS_TOKEN_TTL_SECONDS = 900;

export interface PublicJwk {
  kty: string;
  crv: string;
  x: string;
  kid: string;
  alg: string;
  use: string;
}

interface LoadedKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwk: PublicJwk;
  active: boolean;
}

function newKeyMaterial() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const kid = `${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${randomBase62(8)}`;
  const x = (publicKey.export({ format: 'jwk' }) as { x: string }).x;
  return {
    kid,
    private_key: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    public_jwk: { kty: 'OKP', crv: 'Ed25519', x, kid, alg: 'EdDSA', use: 'sig' },
  };
}

const base64url = (json: unknown) => Buffer.from(JSON.stringify(json)).toString('base64url');

/**
 * A compact JWS signed with Ed25519 (RFC 8037), the same bytes as `jose`'s `SignJWT` gives for
 * the same header and claims. Signed in the calling thread: the signature takes some 25 µs, less
 * than the WebCrypto job `jose` queues on the thread pool, where it waits behind password hashes.
 */
function compactEdDsa(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject) {
  const input = `${base64url(header)}.${base64url(payload)}`;
  return `${input}.${signBytes(null, Buffer.from(input), key).toString('base64url')}`;
}

/**
 * Signs EdDSA access tokens with persisted keys (a restart keeps issued tokens valid), publishes
 * the JWKS, rotates keys keeping the retired one published until its tokens have expired, and
 * serves its own keys to the in-process verifier.
 */
export function createJwtService(options: {
  keys: SigningKeyRepository;
  issuer: string;
  audience: string;
  accessTtlSeconds?: number;
  /** Retired keys stay published this long past the token lifetime, for clock skew. */
  graceSeconds?: number;
}) {
  const ttl = options.accessTtlSeconds ?? ACCESS_TOKEN_TTL_SECONDS;
  const keep = ttl + (options.graceSeconds ?? 120);
  let loaded: LoadedKey[] = [];
  let jwksCache: { keys: PublicJwk[] } = { keys: [] };
  let lastReload = 0;

  async function reload(): Promise<void> {
    const rows = await options.keys.listPublished(keep);
    loaded = rows.map((r) => ({
      kid: r.kid,
      privateKey: createPrivateKey(r.private_key),
      publicKey: createPublicKey({ key: r.public_jwk, format: 'jwk' }),
      jwk: r.public_jwk as unknown as PublicJwk,
      active: r.retired_at === null,
    }));
    jwksCache = { keys: loaded.map((k) => k.jwk) };
    lastReload = Date.now();
  }

  function activeKey(): LoadedKey {
    const key = loaded.find((k) => k.active);
    if (!key) throw new Error('no active signing key; the service was not initialised');
    return key;
  }

  const keySource: KeySource = {
    async getKey(kid) {
      const found = loaded.find((k) => k.kid === kid);
      if (found) return found.publicKey;
      // Another instance may have rotated: look again, at most every 5 s.
      if (Date.now() - lastReload > 5000) {
        await reload();
        return loaded.find((k) => k.kid === kid)?.publicKey;
      }
      return undefined;
    },
  };

  return {
    keySource,
    accessTtlSeconds: ttl,

    /**
     * Loads the published keys, creating the first one on a fresh database. Replicas starting
     * together each try; one key is added and every replica loads that one.
     */
    async init(): Promise<void> {
      await reload();
      if (!loaded.some((k) => k.active)) {
        await options.keys.insertFirst(newKeyMaterial());
        await reload();
      }
    },

    reload,

    async sign(claims: {
      sub: string;
      roles: readonly string[];
      sid?: string;
      act?: string;
      ttlSeconds?: number;
    }) {
      // Pick up a rotation done by another instance within a minute.
      if (Date.now() - lastReload > 60_000) await reload();
      const key = activeKey();
      const now = Math.floor(Date.now() / 1000);
      const expiresIn = claims.ttlSeconds ?? ttl;
      const payload: Record<string, unknown> = { roles: [...claims.roles] };
      if (claims.sid) payload['sid'] = claims.sid;
      if (claims.act) payload['act'] = { sub: claims.act };
      payload['sub'] = claims.sub;
      payload['iss'] = options.issuer;
      payload['aud'] = options.audience;
      payload['iat'] = now;
      payload['exp'] = now + expiresIn;
      payload['jti'] = newId('jti') || randomUUID();
      const token = compactEdDsa({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' }, payload, key.privateKey);
      return { token, expiresIn };
    },

    jwks: () => jwksCache,

    async rotate(): Promise<{ kid: string; retired: string[] }> {
      const material = newKeyMaterial();
      const retired = await options.keys.rotate(material);
      await reload();
      return { kid: material.kid, retired };
    },
  };
}
export type JwtService = ReturnType<typeof createJwtService>;
