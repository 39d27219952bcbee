import type { HttpClient, Identity, TokenVerifier } from '@opsmesh/shared';
import { createAuthClient, serviceTokenSource, UpstreamError } from '@opsmesh/shared';
import type { DelegatedTokens } from './chat-identity.js';

export interface TokenExchangeOptions {
  auth: HttpClient;
  verifier: TokenVerifier;
  clientId: string | undefined;
  clientSecret: string | undefined;
  /** Seconds since the epoch. */
  now?: () => number;
}

/**
 * Tokens for linked chat users from the auth service: this service's own client-credentials token
 * (the kit's cached source) is exchanged (RFC 8693) for a short-lived token of the linked user with
 * this service as the actor (`act.sub`). The token is verified like any other, which yields the
 * user's current roles; it is reused until a minute before it expires.
 */
export function authTokenExchange(options: TokenExchangeOptions): DelegatedTokens {
  const now = options.now ?? (() => Date.now() / 1000);
  const auth = createAuthClient(options.auth);
  const serviceToken =
    options.clientId && options.clientSecret
      ? serviceTokenSource(auth, options.clientId, options.clientSecret, () => now() * 1000)
      : null;
  const users = new Map<string, Identity>();

  return {
    async forSubject(subject) {
      const cached = users.get(subject);
      if (cached && cached.expiresAt - 60 > now()) return cached;
      if (!serviceToken) {
        throw new UpstreamError(
          'auth-service',
          'unavailable',
          'CHATOPS_CLIENT_ID and CHATOPS_CLIENT_SECRET are not set, so linked chat users cannot act',
        );
      }
      const res = await auth.exchange(await serviceToken(), subject);
      if (!res.ok) throw res.error;
      const identity = await options.verifier.verify(res.data.access_token);
      users.set(subject, identity);
      return identity;
    },
  };
}
