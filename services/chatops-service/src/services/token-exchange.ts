import { TOKEN_EXCHANGE_GRANT, type TokenResponse, USER_ID_TOKEN_TYPE } from '@opsmesh/contracts';
import type { HttpClient, Identity, TokenVerifier } from '@opsmesh/shared';
import { UpstreamError } from '@opsmesh/shared';
import type { DelegatedTokens } from './chat-identity.js';

export interface TokenExchangeOptions {
  auth: HttpClient;
  verifier: TokenVerifier;
  clientId: string | undefined;
  clientSecret: string | undefined;
  now?: () => number;
}

/**
 * Tokens for linked chat users from the auth service: this service signs in with its own client
 * credentials (`POST /token`), then exchanges (RFC 8693, same endpoint) for a short-lived token of
 * the linked user with itself as the actor (`act.sub`). The token is verified like any other, which yields the user's current roles; both
 * tokens are cached until a minute before they expire.
 */
export function authTokenExchange(options: TokenExchangeOptions): DelegatedTokens {
  const now = options.now ?? (() => Date.now() / 1000);
  let service: { token: string; until: number } | undefined;
  const users = new Map<string, Identity>();

  async function post(body: Record<string, string>, token?: string): Promise<TokenResponse> {
    const res = await options.auth.request<TokenResponse>({
      method: 'POST',
      path: '/token',
      body,
      ...(token ? { token } : {}),
    });
    if (!res.ok) throw res.error;
    return res.data;
  }

  async function serviceToken(): Promise<string> {
    if (service && service.until > now()) return service.token;
    if (!options.clientId || !options.clientSecret) {
      throw new UpstreamError(
        'auth-service',
        'unavailable',
        'CHATOPS_CLIENT_ID and CHATOPS_CLIENT_SECRET are not set, so linked chat users cannot act',
      );
    }
    const res = await post({
      grant_type: 'client_credentials',
      client_id: options.clientId,
      client_secret: options.clientSecret,
    });
    service = { token: res.access_token, until: now() + (res.expires_in ?? 300) - 60 };
    return service.token;
  }

  return {
    async forSubject(subject) {
      const cached = users.get(subject);
      if (cached && cached.expiresAt - 60 > now()) return cached;
      // The service's own token authenticates the exchange; the subject is the linked user's id.
      const res = await post(
        { grant_type: TOKEN_EXCHANGE_GRANT, subject_token: subject, subject_token_type: USER_ID_TOKEN_TYPE },
        await serviceToken(),
      );
      const identity = await options.verifier.verify(res.access_token);
      users.set(subject, identity);
      return identity;
    },
  };
}
