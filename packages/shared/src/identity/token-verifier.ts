import type { KeyObject } from 'node:crypto';
import { type JWTPayload, errors as joseErrors, jwtVerify } from 'jose';
import type { KeySource } from './key-source.js';
import { permissionsFor, ROLES, type Role } from './permissions.js';
import type { Identity } from './types.js';

export class TokenError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'TokenError';
  }
}

export interface TokenVerifier {
  verify(token: string): Promise<Identity>;
  /** The identity of a token verified before and not yet expired, without waiting; else undefined. */
  cached(token: string): Identity | undefined;
  /** Entries in the verified-token cache, for tests and metrics. */
  readonly cacheSize: number;
}

export interface TokenVerifierOptions {
  keys: KeySource;
  issuer: string;
  audience: string;
  clockToleranceSec?: number;
  /** How many verified tokens to remember until they expire (0 turns the cache off). */
  cacheSize?: number;
  now?: () => number;
}

/** Access tokens last minutes: an expired one is the most common 401, so it says how to go on. */
const EXPIRED =
  'The access token has expired; get a new one with the refresh token (POST /api/auth/refresh) or log in again (POST /api/auth/login).';

function describeJoseError(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return EXPIRED;
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'nbf' || err.claim === 'iat') return 'The access token is not valid yet.';
    if (err.claim === 'iss') return 'The access token was not issued by this platform.';
    if (err.claim === 'aud') return 'The access token is not meant for this platform (audience).';
    return `The access token's "${err.claim}" claim is invalid.`;
  }
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'The access token is not signed with EdDSA.';
  if (err instanceof joseErrors.JWSSignatureVerificationFailed)
    return 'The access token signature is invalid.';
  if (err instanceof TokenError) return err.reason;
  return 'The access token is malformed.';
}

function toIdentity(token: string, payload: JWTPayload): Identity {
  const roles = (Array.isArray(payload['roles']) ? payload['roles'] : []).filter((r): r is Role =>
    (ROLES as readonly unknown[]).includes(r),
  );
  const subject = String(payload.sub);
  const identity: Identity = {
    subject,
    kind: subject.startsWith('svc_') ? 'service' : 'user',
    roles,
    permissions: permissionsFor(roles),
    expiresAt: payload.exp ?? 0,
    token,
  };
  if (typeof payload.iat === 'number') identity.issuedAt = payload.iat;
  if (typeof payload['sid'] === 'string') identity.sessionId = payload['sid'];
  const act = payload['act'] as { sub?: unknown } | undefined;
  if (act && typeof act.sub === 'string') identity.actor = act.sub;
  return identity;
}

/**
 * Verifies EdDSA access tokens against a key source, with `iss`/`aud`/`exp` checks, a small clock
 * skew tolerance, and a bounded cache of tokens already verified (kept until they expire).
 *
 * @example
 * const verifier = createTokenVerifier({ keys: remoteJwks({ url }), issuer: 'opsmesh-auth', audience: 'opsmesh' });
 * const identity = await verifier.verify(token); // throws TokenError with a reason a person can act on
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const tolerance = options.clockToleranceSec ?? 30;
  const max = options.cacheSize ?? 10_000;
  const now = options.now ?? (() => Date.now() / 1000);
  const cache = new Map<string, Identity>();
  const verifyOptions = {
    algorithms: ['EdDSA'],
    issuer: options.issuer,
    audience: options.audience,
    clockTolerance: tolerance,
    requiredClaims: ['exp', 'iat', 'sub'],
    ...(options.now ? { currentDate: new Date(options.now() * 1000) } : {}),
  };

  async function keyFor(header: { kid?: string; alg?: string }): Promise<KeyObject> {
    if (header.alg !== 'EdDSA') throw new TokenError('The access token is not signed with EdDSA.');
    if (!header.kid) throw new TokenError('The access token has no key id (kid).');
    const key = await options.keys.getKey(header.kid);
    if (!key) throw new TokenError('The access token was signed with an unknown key.');
    return key;
  }

  return {
    get cacheSize() {
      return cache.size;
    },
    cached(token) {
      const hit = cache.get(token);
      return hit && hit.expiresAt + tolerance > now() ? hit : undefined;
    },
    async verify(token) {
      const hit = cache.get(token);
      if (hit) {
        if (hit.expiresAt + tolerance > now()) return hit;
        cache.delete(token);
        throw new TokenError(EXPIRED);
      }
      let payload: JWTPayload;
      try {
        const opts = options.now
          ? { ...verifyOptions, currentDate: new Date(options.now() * 1000) }
          : verifyOptions;
        ({ payload } = await jwtVerify(token, keyFor, opts));
      } catch (err) {
        if (err instanceof TokenError) throw err;
        // The key source failing (JWKS unreachable) is an outage, not a bad token: let it through
        // so the authenticator answers 503 rather than blaming the caller.
        if (!(err instanceof joseErrors.JOSEError)) throw err;
        throw new TokenError(describeJoseError(err));
      }
      const identity = toIdentity(token, payload);
      if (max > 0) {
        if (cache.size >= max) {
          // Evict the oldest entry; Map keeps insertion order, so this is FIFO in O(1).
          const oldest = cache.keys().next().value;
          if (oldest !== undefined) cache.delete(oldest);
        }
        cache.set(token, identity);
      }
      return identity;
    },
  };
}
