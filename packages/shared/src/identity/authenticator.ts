import { commonErrors } from '../errors/define-errors.js';
import type { RevocationEvent, RevocationList } from './revocation-list.js';
import { TokenError, type TokenVerifier } from './token-verifier.js';
import type { Authenticator, Identity } from './types.js';

/** API keys carry this prefix so they can be recognised in configs, logs and leaks. */
export const API_KEY_PREFIX = 'omk_';

export type Introspector = (apiKey: string) => Promise<Identity | null>;

export interface RevocationAwareAuthenticator extends Authenticator {
  /** Drops cached API-key answers the events touch, so the next request asks again. */
  revoked(events: readonly RevocationEvent[]): void;
}

const MEMO_SLOTS = 256;

/** A memo slot from the last characters of an Authorization value (a JWT's signature: random). */
function memoSlot(auth: string): number {
  const n = auth.length;
  return (
    (auth.charCodeAt(n - 1) * 961 + auth.charCodeAt(n - 2) * 31 + auth.charCodeAt(n - 3)) & (MEMO_SLOTS - 1)
  );
}

const REVOKED =
  'The credential was revoked (account disabled, session ended or key revoked); log in again or use a current key.';

/**
 * Resolves `Authorization: Bearer <jwt>` through the verifier, and API keys (`Bearer omk_...` or
 * `X-API-Key: omk_...`) through an introspector, cached for `apiKeyTtlMs`. With `revocations`,
 * a credential revoked since it was issued is refused at once, cached or not.
 *
 * @example
 * const auth = createAuthenticator({ verifier, introspect: (key) => authClient.introspect(key), revocations });
 */
export function createAuthenticator(options: {
  verifier: TokenVerifier;
  introspect?: Introspector;
  apiKeyTtlMs?: number;
  revocations?: RevocationList;
  now?: () => number;
  close?: () => Promise<void>;
}): RevocationAwareAuthenticator {
  const ttl = options.apiKeyTtlMs ?? 30_000;
  const now = options.now ?? Date.now;
  const keyCache = new Map<string, { identity: Identity | null; until: number }>();
  // A direct-mapped memo of recent Authorization values in front of the verifier's cache: a
  // slot is found from three characters of the signature and confirmed by comparing the whole
  // value, where a Map lookup hashes every character of a new ~430-character string per
  // request (2-3 us against ~0.1 us on this machine under load, measured in process).
  const memoHeader: (string | undefined)[] = new Array(MEMO_SLOTS);
  const memoIdentity: (Identity | undefined)[] = new Array(MEMO_SLOTS);
  const checked = (identity: Identity): Identity => {
    if (options.revocations?.rejects(identity)) throw commonErrors.UNAUTHENTICATED({ reason: REVOKED });
    return identity;
  };

  async function byApiKey(key: string): Promise<Identity> {
    if (!options.introspect) {
      throw commonErrors.UNAUTHENTICATED({
        reason: 'API keys are not accepted here; send a bearer access token.',
      });
    }
    const cached = keyCache.get(key);
    let identity: Identity | null;
    if (cached && cached.until > now()) identity = cached.identity;
    else {
      identity = await options.introspect(key);
      if (identity) identity.issuedAt = Math.floor(now() / 1000);
      if (keyCache.size > 10_000) keyCache.clear();
      keyCache.set(key, { identity, until: now() + ttl });
    }
    if (!identity || identity.expiresAt * 1000 <= now()) {
      throw commonErrors.UNAUTHENTICATED({ reason: 'The API key is unknown, revoked or expired.' });
    }
    return checked(identity);
  }

  return {
    revoked(events) {
      const subjects = new Set(events.filter((e) => e.kind === 'subject').map((e) => e.id));
      const keys = new Set(events.filter((e) => e.kind === 'api-key').map((e) => e.id));
      if (subjects.size === 0 && keys.size === 0) return;
      for (const [key, entry] of keyCache) {
        const id = entry.identity;
        if (id && (subjects.has(id.subject) || (id.keyId !== undefined && keys.has(id.keyId))))
          keyCache.delete(key);
      }
    },
    ...(options.close ? { close: options.close } : {}),
    authenticateCached(headers) {
      // Only `Bearer <jwt>` with nothing around it: every other form takes the full path.
      if (headers['x-api-key']) return undefined;
      const auth = headers.authorization;
      if (!auth || auth.length < 8 || !auth.startsWith('Bearer ')) return undefined;
      const slot = memoSlot(auth);
      let identity = memoHeader[slot] === auth ? memoIdentity[slot] : undefined;
      if (identity === undefined || identity.expiresAt * 1000 <= now()) {
        const token = auth.slice(7);
        if (token.startsWith(API_KEY_PREFIX)) return undefined;
        identity = options.verifier.cached(token);
        if (!identity) return undefined;
        memoHeader[slot] = auth;
        memoIdentity[slot] = identity;
      }
      return options.revocations?.rejects(identity) ? undefined : identity;
    },
    async authenticate(headers) {
      const apiKeyHeader = headers['x-api-key'];
      const apiKey = Array.isArray(apiKeyHeader) ? apiKeyHeader[0] : apiKeyHeader;
      if (apiKey) return byApiKey(apiKey.trim());
      const auth = headers.authorization;
      if (!auth) {
        throw commonErrors.UNAUTHENTICATED({
          reason:
            'No credentials: send "Authorization: Bearer <access token>" (log in at POST /api/auth/login).',
        });
      }
      const match = /^Bearer\s+(\S+)\s*$/i.exec(auth);
      if (!match) {
        throw commonErrors.UNAUTHENTICATED({ reason: 'The Authorization header must be "Bearer <token>".' });
      }
      const token = match[1]!;
      if (token.startsWith(API_KEY_PREFIX)) return byApiKey(token);
      let identity: Identity;
      try {
        identity = await options.verifier.verify(token);
      } catch (err) {
        if (err instanceof TokenError) throw commonErrors.UNAUTHENTICATED({ reason: err.reason });
        throw commonErrors.UNAVAILABLE({ dependency: 'token keys (JWKS)' }, { cause: err });
      }
      return checked(identity);
    },
  };
}
