import { commonErrors } from '../errors/define-errors.js';
import { TokenError, type TokenVerifier } from './token-verifier.js';
import type { Authenticator, Identity } from './types.js';

/** API keys carry this prefix so they can be recognised in configs, logs and leaks. */
export const API_KEY_PREFIX = 'omk_';

export type Introspector = (apiKey: string) => Promise<Identity | null>;

/**
 * Resolves `Authorization: Bearer <jwt>` through the verifier, and API keys (`Bearer omk_...` or
 * `X-API-Key: omk_...`) through an introspector, cached for `apiKeyTtlMs`.
 *
 * @example
 * const auth = createAuthenticator({ verifier, introspect: (key) => authClient.introspect(key) });
 */
export function createAuthenticator(options: {
  verifier: TokenVerifier;
  introspect?: Introspector;
  apiKeyTtlMs?: number;
  now?: () => number;
}): Authenticator {
  const ttl = options.apiKeyTtlMs ?? 30_000;
  const now = options.now ?? Date.now;
  const keyCache = new Map<string, { identity: Identity | null; until: number }>();

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
      if (keyCache.size > 10_000) keyCache.clear();
      keyCache.set(key, { identity, until: now() + ttl });
    }
    if (!identity || identity.expiresAt * 1000 <= now()) {
      throw commonErrors.UNAUTHENTICATED({ reason: 'The API key is unknown, revoked or expired.' });
    }
    return identity;
  }

  return {
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
      try {
        return await options.verifier.verify(token);
      } catch (err) {
        if (err instanceof TokenError) throw commonErrors.UNAUTHENTICATED({ reason: err.reason });
        throw commonErrors.UNAVAILABLE({ dependency: 'token keys (JWKS)' }, { cause: err });
      }
    },
  };
}
