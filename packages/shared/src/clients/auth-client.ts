import type { Introspection, TokenResponse } from '@opsmesh/contracts';
import { commonErrors } from '../errors/define-errors.js';
import { type Discovery, staticDiscovery } from '../http/discovery.js';
import type { HttpClient, HttpResult } from '../http/http-client.js';
import { createHttpClient } from '../http/http-client.js';
import { createAuthenticator, type Introspector } from '../identity/authenticator.js';
import { type JwksDocument, remoteJwks } from '../identity/key-source.js';
import { isPermission, permissionsFor, ROLES, type Role } from '../identity/permissions.js';
import { followRevocations, RevocationList, type RevocationPage } from '../identity/revocation-list.js';
import { createTokenVerifier, type TokenVerifier } from '../identity/token-verifier.js';
import type { Authenticator, Identity } from '../identity/types.js';

const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';

/**
 * The auth service's API for other services, typed by its contract.
 *
 * @example
 * const auth = createAuthClient(createHttpClient({ service: 'auth-service', discovery }));
 * const token = await auth.clientCredentials('chatops-service', secret);
 */
export function createAuthClient(http: HttpClient) {
  return {
    clientCredentials: (clientId: string, clientSecret: string): Promise<HttpResult<TokenResponse>> =>
      http.request<TokenResponse>({
        method: 'POST',
        path: '/token',
        body: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret },
      }),

    /** RFC 8693: a short-lived token for `user` (id or email), acting as the caller's service. */
    exchange: (serviceToken: string, user: string): Promise<HttpResult<TokenResponse>> =>
      http.request<TokenResponse>({
        method: 'POST',
        path: '/token',
        token: serviceToken,
        body: {
          grant_type: TOKEN_EXCHANGE_GRANT,
          subject_token: user,
          subject_token_type: 'urn:opsmesh:params:oauth:token-type:user-id',
        },
      }),

    /** The signing keys' JWKS, from any replica. */
    jwks: async (): Promise<JwksDocument> => {
      const res = await http.request<JwksDocument>({ path: '/.well-known/jwks.json', timeoutMs: 3000 });
      if (!res.ok) throw res.error;
      return res.data;
    },

    /**
     * A page of the revocation feed: the recent window without `after`, else what followed it,
     * waiting up to `waitSeconds` for something new (a long poll).
     */
    revocations: async (after: number | null, waitSeconds: number, signal?: AbortSignal) => {
      const res = await http.request<RevocationPage>({
        path: '/revocations',
        query: { after: after ?? undefined, wait: waitSeconds },
        timeoutMs: (waitSeconds + 5) * 1000,
        idempotent: false,
        // Every replica of every service polls this all day; no one reads those traces.
        untraced: true,
        ...(signal ? { signal } : {}),
      });
      if (!res.ok) throw res.error;
      return res.data;
    },

    /** Introspects a credential; with no `callerToken` the credential introspects itself. */
    introspect: (token: string, callerToken?: string): Promise<HttpResult<Introspection>> =>
      http.request<Introspection>({
        method: 'POST',
        path: '/introspect',
        token: callerToken ?? token,
        body: { token },
        idempotent: true,
      }),
  };
}
export type AuthClient = ReturnType<typeof createAuthClient>;

/**
 * An introspector for `createAuthenticator`: resolves API keys at the auth service (each key
 * introspecting itself), so every service accepts them without holding their hashes. An unknown
 * or refused key is null; an auth service that cannot answer is a 503, never a 500 or a hang.
 * A key grants only the permissions it was scoped to that its owner's roles still hold.
 */
export function remoteIntrospector(auth: AuthClient): Introspector {
  return async (apiKey) => {
    const res = await auth.introspect(apiKey);
    if (!res.ok) {
      const status = res.error.status;
      if (res.error.kind === 'problem' && (status === 400 || status === 401 || status === 403)) return null;
      throw commonErrors.UNAVAILABLE(
        { dependency: 'auth-service (API key introspection)' },
        { cause: res.error },
      );
    }
    const body = res.data;
    if (!body.active || !body.sub) return null;
    const roles = (body.roles ?? []).filter((r): r is Role => (ROLES as readonly string[]).includes(r));
    const held = permissionsFor(roles);
    const identity: Identity = {
      subject: body.sub,
      kind: 'api-key',
      roles,
      permissions: new Set((body.permissions ?? []).filter(isPermission).filter((p) => held.has(p))),
      expiresAt: body.exp ?? 0,
      token: apiKey,
    };
    if (body.client_id) identity.keyId = body.client_id;
    return identity;
  };
}

/**
 * How a service other than the auth service authenticates its callers: access tokens verified
 * against the auth service's JWKS, API keys introspected there (answers cached `apiKeyTtlMs`),
 * and the auth service's revocation feed followed (long-polled from any of its replicas), so a
 * disabled user, a revoked key or session and a key rotation take effect within a second or two.
 * Close the authenticator (the service kit does, on close) to stop following.
 *
 * @example
 * const authenticator = remoteAuthenticator({ authUrl: config.AUTH_URL, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, discovery });
 */
export function remoteAuthenticator(options: {
  authUrl: string;
  issuer: string;
  audience: string;
  /** Where the auth service is found; a static address from `authUrl` by default. */
  discovery?: Discovery;
  tokenCacheSize?: number;
  apiKeyTtlMs?: number;
  /** Follow the revocation feed (default true). */
  revocationFeed?: boolean;
  /** Told when the revocation feed cannot be read; revocations already learnt stay in force. */
  onFeedError?: (err: unknown) => void;
}): Authenticator & { verifier: TokenVerifier } {
  const discovery = options.discovery ?? staticDiscovery({ 'auth-service': [options.authUrl] });
  const auth = createAuthClient(
    createHttpClient({ service: 'auth-service', discovery, timeoutMs: 2000, retries: 0 }),
  );
  // Through discovery, so any auth replica serves the keys.
  const keys = remoteJwks({
    url: `${options.authUrl.replace(/\/+$/, '')}/.well-known/jwks.json`,
    load: auth.jwks,
  });
  const verifier = createTokenVerifier({
    keys,
    issuer: options.issuer,
    audience: options.audience,
    ...(options.tokenCacheSize === undefined ? {} : { cacheSize: options.tokenCacheSize }),
  });
  const revocations = new RevocationList();
  const follower =
    options.revocationFeed === false
      ? null
      : followRevocations({
          list: revocations,
          read: auth.revocations,
          onEvents: (events) => {
            authenticator.revoked(events);
            if (events.some((e) => e.kind === 'keys')) void keys.refresh().catch(() => {});
          },
          ...(options.onFeedError ? { onError: options.onFeedError } : {}),
        });
  const authenticator = createAuthenticator({
    verifier,
    introspect: remoteIntrospector(auth),
    revocations,
    ...(follower ? { close: () => follower.close() } : {}),
    ...(options.apiKeyTtlMs === undefined ? {} : { apiKeyTtlMs: options.apiKeyTtlMs }),
  });
  return Object.assign(authenticator, { verifier });
}

/**
 * This service's own access token (client credentials), fetched once and renewed a minute before
 * it expires; concurrent callers share one request.
 *
 * @example
 * const serviceToken = serviceTokenSource(auth, config.OPSMESH_CLIENT_ID, config.OPSMESH_CLIENT_SECRET);
 * const token = await serviceToken(); // throws UpstreamError when the auth service refuses
 */
export function serviceTokenSource(
  auth: AuthClient,
  clientId: string,
  clientSecret: string,
  now: () => number = Date.now,
) {
  let cached: { token: string; until: number } | null = null;
  let inflight: Promise<string> | null = null;
  return async (): Promise<string> => {
    if (cached && cached.until > now()) return cached.token;
    inflight ??= (async () => {
      const res = await auth.clientCredentials(clientId, clientSecret);
      if (!res.ok) throw res.error;
      cached = { token: res.data.access_token, until: now() + Math.max(10, res.data.expires_in - 60) * 1000 };
      return cached.token;
    })().finally(() => {
      inflight = null;
    });
    return inflight;
  };
}
