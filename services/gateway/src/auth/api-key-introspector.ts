import type { Introspection } from '@opsmesh/contracts';
import type { Discovery, Identity, Introspector, Role } from '@opsmesh/shared';
import { commonErrors, permissionsFor, ROLES } from '@opsmesh/shared';

/**
 * Asks the auth service whether an API key is valid (RFC 7662 introspection at
 * `POST /introspect`). The key introspects itself, which the auth service allows without a
 * service token. The kit's authenticator caches each answer for `API_KEY_CACHE_TTL_MS`, so
 * the auth service sees one call per key per TTL, not one per request.
 *
 * @example
 * createAuthenticator({ verifier, introspect: createApiKeyIntrospector({ discovery }), apiKeyTtlMs: 30_000 });
 */
export function createApiKeyIntrospector(options: {
  discovery: Discovery;
  upstream?: string;
  path?: string;
  timeoutMs?: number;
}): Introspector {
  const upstream = options.upstream ?? 'auth-service';
  const path = options.path ?? '/introspect';
  return async (apiKey) => {
    // An auth service that cannot answer is a 503 for the caller, never a 500 or a hang.
    const unavailable = (cause: unknown) =>
      commonErrors.UNAVAILABLE({ dependency: `${upstream} (API key introspection)` }, { cause });
    const [base] = await options.discovery.resolve(upstream);
    if (!base) throw unavailable(new Error(`no instance of ${upstream}`));
    let res: Response;
    try {
      res = await fetch(base + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ token: apiKey, token_type_hint: 'api_key' }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 2_000),
      });
    } catch (err) {
      throw unavailable(err);
    }
    // The auth service refuses an unknown key outright; that is an answer, not an outage.
    if (res.status === 400 || res.status === 401 || res.status === 403) return null;
    if (!res.ok) throw unavailable(new Error(`introspection answered ${res.status}`));
    const answer = (await res.json()) as Introspection;
    if (!answer.active || !answer.sub) return null;
    const roles = (answer.roles ?? []).filter((r): r is Role => (ROLES as readonly string[]).includes(r));
    const identity: Identity = {
      subject: answer.sub,
      kind: 'api-key',
      roles,
      permissions: permissionsFor(roles),
      expiresAt: answer.exp ?? Math.floor(Date.now() / 1000) + 3600,
      token: apiKey,
    };
    if (answer.client_id) identity.keyId = answer.client_id;
    return identity;
  };
}
