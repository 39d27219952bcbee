import {
  API_KEY_PREFIX,
  type Authenticator,
  commonErrors,
  type Identity,
  type Permission,
} from '@opsmesh/shared';
import { gatewayErrors } from '../errors.js';
import type { RouteAuth } from '../router/compiled-route.js';

type AuthHeaders = { authorization?: string | undefined; 'x-api-key'?: string | string[] | undefined };

/** Which kind of credential a request carries, without verifying it. */
export function credentialKind(headers: AuthHeaders): 'jwt' | 'api-key' | 'none' {
  if (headers['x-api-key']) return 'api-key';
  const auth = headers.authorization;
  if (!auth) return 'none';
  const token = auth.slice(auth.indexOf(' ') + 1).trim();
  return token.startsWith(API_KEY_PREFIX) ? 'api-key' : 'jwt';
}

/**
 * Runs a route's auth plugins: open routes pass untouched; otherwise the credential must be
 * of a kind the route accepts, valid (the kit's verifier with its verified-token cache, or
 * API-key introspection cached briefly), and carry the route's permission if it names one.
 * A bearer token already verified and cached is answered without a promise (the common case
 * on the hot path); anything else resolves later. A refusal is thrown, at once or as the
 * promise's rejection.
 *
 * @example
 * const found = authenticateRoute(authenticator, route.auth, request.headers);
 * const identity = found instanceof Promise ? await found : found;
 */
export function authenticateRoute(
  authenticator: Authenticator,
  auth: RouteAuth,
  headers: AuthHeaders,
): Identity | null | Promise<Identity | null> {
  if (auth.open) return null;
  const kind = credentialKind(headers);
  if ((kind === 'jwt' && !auth.jwt) || (kind === 'api-key' && !auth.apiKey)) {
    const accepted = [auth.jwt ? 'a bearer access token' : '', auth.apiKey ? 'an API key (X-API-Key)' : '']
      .filter(Boolean)
      .join(' or ');
    throw gatewayErrors.GATEWAY_CREDENTIAL_NOT_ACCEPTED({
      kind: kind === 'jwt' ? 'JWT' : 'API key',
      accepted,
    });
  }
  const cached = authenticator.authenticateCached?.(headers);
  if (cached) return permitted(auth, cached);
  return authenticator.authenticate(headers).then((identity) => permitted(auth, identity));
}

function permitted(auth: RouteAuth, identity: Identity): Identity {
  if (auth.permission && !identity.permissions.has(auth.permission as Permission)) {
    throw commonErrors.FORBIDDEN({ permission: auth.permission });
  }
  return identity;
}
