import type { Identity } from '@opsmesh/shared';

type Headers = Record<string, string | string[] | number | undefined>;

const IDENTITY_PREFIX = 'x-opsmesh-';

/**
 * Removes every `x-opsmesh-*` header a client sent: services trust these headers only
 * because the gateway is the one that sets them.
 */
export function stripIdentityHeaders(headers: Headers): void {
  for (const name of Object.keys(headers)) {
    if (name.length > IDENTITY_PREFIX.length && name.startsWith(IDENTITY_PREFIX)) delete headers[name];
  }
}

/** The verified identity, for upstreams; the original Authorization stays so they can verify it too. */
export function setIdentityHeaders(headers: Headers, identity: Identity | null, route: string): void {
  headers['x-opsmesh-route'] = route;
  if (!identity) return;
  headers['x-opsmesh-subject'] = identity.subject;
  headers['x-opsmesh-kind'] = identity.kind;
  if (identity.kind === 'user') headers['x-opsmesh-user'] = identity.subject;
  headers['x-opsmesh-roles'] = identity.roles.join(',');
  if (identity.sessionId) headers['x-opsmesh-session'] = identity.sessionId;
  if (identity.actor) headers['x-opsmesh-actor'] = identity.actor;
  if (identity.keyId) headers['x-opsmesh-key-id'] = identity.keyId;
}

/** Appends the client address and states the scheme and host the client used. */
export function setForwardedHeaders(
  headers: Headers,
  clientIp: string,
  protocol: string,
  host: string | undefined,
): void {
  const prior = headers['x-forwarded-for'];
  headers['x-forwarded-for'] = prior ? `${String(prior)}, ${clientIp}` : clientIp;
  headers['x-forwarded-proto'] = protocol;
  if (host) headers['x-forwarded-host'] = host;
}
