import { timingSafeEqual } from 'node:crypto';
import { API_KEY_PREFIX } from '@opsmesh/shared/identity/authenticator';
import {
  isPermission,
  type Permission,
  permissionsFor,
  type Role,
} from '@opsmesh/shared/identity/permissions';
import { TokenError, type TokenVerifier } from '@opsmesh/shared/identity/token-verifier';
import type { Identity } from '@opsmesh/shared/identity/types';
import { newId, randomBase62 } from '@opsmesh/shared/ids/new-id';
import { authErrors } from '../errors.js';
import { type ApiKeyRepository, toApiKey } from '../models/api-key.js';
import type { AuditRepository } from '../models/audit.js';
import { type ServiceAccountRepository, toServiceAccount } from '../models/service-account.js';
import type { SessionRepository } from '../models/session.js';
import type { UserRepository } from '../models/user.js';
import type { JwtService } from './jwt-service.js';
import { CLIENT_SECRET_PREFIX, sha256 } from './tokens.js';

/** Delegated tokens are short: the ChatOps service asks again for each command. */
export const EXCHANGED_TOKEN_TTL_SECONDS = 300;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** API keys, service accounts, client credentials, token exchange and introspection. */
export function createCredentialService(deps: {
  users: UserRepository;
  sessions: SessionRepository;
  apiKeys: ApiKeyRepository;
  serviceAccounts: ServiceAccountRepository;
  audit: AuditRepository;
  jwt: JwtService;
  verifier: TokenVerifier;
  /** Live API keys one owner may hold (API_KEYS_MAX). */
  apiKeysMax?: number;
}) {
  const apiKeysMax = deps.apiKeysMax ?? 50;
  /** The owner's live roles, or null when the owner is gone or not active. */
  async function ownerRoles(ownerId: string): Promise<Role[] | null> {
    if (ownerId.startsWith('svc_')) {
      const sa = await deps.serviceAccounts.findById(ownerId);
      return sa && !sa.disabled_at ? ['service'] : null;
    }
    const user = await deps.users.findById(ownerId);
    return user && user.status === 'active' ? (user.roles as Role[]) : null;
  }

  async function apiKeyIdentity(key: string): Promise<Identity | null> {
    if (!key.startsWith(API_KEY_PREFIX)) return null;
    const row = await deps.apiKeys.findByHash(sha256(key));
    if (!row || row.revoked_at || row.expires_at.getTime() <= Date.now()) return null;
    const roles = await ownerRoles(row.owner_id);
    if (!roles) return null;
    // A key never grants more than its owner holds today.
    const held = permissionsFor(roles);
    const permissions = new Set(row.permissions.filter((p): p is Permission => held.has(p as Permission)));
    void deps.apiKeys.touch(row.id).catch(() => {});
    return {
      subject: row.owner_id,
      kind: 'api-key',
      roles,
      permissions,
      keyId: row.id,
      expiresAt: Math.floor(row.expires_at.getTime() / 1000),
      token: key,
    };
  }

  return {
    apiKeyIdentity,

    async createApiKey(
      owner: Identity,
      input: { name: string; permissions?: string[] | undefined; expires_in_days?: number | undefined },
      ip: string | null,
    ) {
      const requested = input.permissions ?? [...owner.permissions];
      const unknown = requested.filter((p) => !isPermission(p));
      if (unknown.length) throw authErrors.AUTH_UNKNOWN_PERMISSION({ permissions: unknown });
      const notHeld = requested.filter((p) => !owner.permissions.has(p as Permission));
      if (notHeld.length) throw authErrors.AUTH_PERMISSION_NOT_HELD({ permissions: notHeld });
      const key = `${API_KEY_PREFIX}${randomBase62(40)}`;
      const row = await deps.apiKeys.insertWithinLimit(
        {
          id: newId('key'),
          owner_id: owner.subject,
          name: input.name,
          prefix: key.slice(0, 12),
          key_hash: sha256(key),
          permissions: requested,
          expires_at: new Date(Date.now() + (input.expires_in_days ?? 90) * 86_400_000),
        },
        apiKeysMax,
      );
      if (!row) throw authErrors.AUTH_API_KEY_LIMIT({ max: apiKeysMax });
      await deps.audit.record({
        action: 'api_key_created',
        outcome: 'success',
        actor: owner.subject,
        target: row.id,
        ip,
        detail: { name: input.name, permissions: requested },
      });
      return { ...toApiKey(row), key };
    },

    listApiKeys: async (ownerId: string, page: { limit: number; offset: number }) => {
      const found = await deps.apiKeys.listForOwner(ownerId, page);
      return { items: found.rows.map(toApiKey), total: found.total };
    },

    async revokeApiKey(id: string, actor: Identity, ip: string | null) {
      const row = await deps.apiKeys.findById(id);
      const mayManageAll = actor.permissions.has('users:write');
      if (!row || (row.owner_id !== actor.subject && !mayManageAll))
        throw authErrors.AUTH_API_KEY_NOT_FOUND({ id });
      await deps.apiKeys.revoke(id);
      await deps.audit.record({
        action: 'api_key_revoked',
        outcome: 'success',
        actor: actor.subject,
        target: id,
        ip,
      });
    },

    async createServiceAccount(name: string, actor: Identity, ip: string | null) {
      const secret = `${CLIENT_SECRET_PREFIX}${randomBase62(40)}`;
      const row = await deps.serviceAccounts.insert({
        id: newId('svc'),
        name,
        client_id: `${name}`,
        secret_hash: sha256(secret),
        permissions: ['service'],
      });
      if (!row) throw authErrors.AUTH_SERVICE_ACCOUNT_EXISTS({ name });
      await deps.audit.record({
        action: 'service_account_created',
        outcome: 'success',
        actor: actor.subject,
        target: row.id,
        ip,
        detail: { name },
      });
      return {
        ...toServiceAccount(row),
        permissions: [...permissionsFor(['service'])],
        client_secret: secret,
      };
    },

    /** Creates (or re-keys) a service account from configuration at start-up. */
    async ensureServiceAccount(name: string, secret: string) {
      const hash = sha256(secret);
      const created = await deps.serviceAccounts.insert({
        id: newId('svc'),
        name,
        client_id: name,
        secret_hash: hash,
        permissions: ['service'],
      });
      if (created) return;
      // Already there (an earlier start, or a replica starting at the same moment): re-key it
      // when the configured secret changed.
      const existing =
        (await deps.serviceAccounts.findByName(name)) ?? (await deps.serviceAccounts.findByClientId(name));
      if (!existing) throw new Error(`service account ${name} collides with another account's client id`);
      if (existing.secret_hash !== hash) await deps.serviceAccounts.updateSecret(existing.id, hash);
    },

    listServiceAccounts: async (page: { limit: number; offset: number }) => {
      const found = await deps.serviceAccounts.list(page);
      const items = found.rows.map((r) => ({
        ...toServiceAccount(r),
        permissions: [...permissionsFor(['service'])],
      }));
      return { items, total: found.total };
    },

    async disableServiceAccount(id: string, actor: Identity, ip: string | null) {
      const res = await deps.serviceAccounts.disable(id);
      if (!res.numUpdatedRows) throw authErrors.AUTH_SERVICE_ACCOUNT_NOT_FOUND({ id });
      await deps.apiKeys.revokeAllForOwner(id);
      await deps.audit.record({
        action: 'service_account_disabled',
        outcome: 'success',
        actor: actor.subject,
        target: id,
        ip,
      });
    },

    /** OAuth 2 client credentials grant: a short-lived token with the `service` role. */
    async clientCredentials(clientId: string, clientSecret: string, ip: string | null) {
      const sa = await deps.serviceAccounts.findByClientId(clientId);
      const ok = sa && !sa.disabled_at && sameSecret(sa.secret_hash, sha256(clientSecret));
      if (!sa || !ok) {
        await deps.audit.record({ action: 'client_credentials', outcome: 'failure', target: clientId, ip });
        throw authErrors.AUTH_INVALID_CLIENT({});
      }
      const { token, expiresIn } = await deps.jwt.sign({
        sub: sa.id,
        roles: ['service'],
        ttlSeconds: EXCHANGED_TOKEN_TTL_SECONDS,
      });
      return { access_token: token, token_type: 'Bearer' as const, expires_in: expiresIn };
    },

    /**
     * RFC 8693 token exchange: a caller holding `tokens:exchange` gets a short-lived token for a user
     * (by id, email, or the user's own access token), with the user's roles and `act.sub` = caller.
     */
    async exchange(
      caller: Identity,
      subjectToken: string,
      subjectTokenType: string | undefined,
      ip: string | null,
    ) {
      let userId: string | undefined;
      if (subjectTokenType === 'urn:ietf:params:oauth:token-type:access_token') {
        try {
          userId = (await deps.verifier.verify(subjectToken)).subject;
        } catch (err) {
          throw authErrors.AUTH_INVALID_GRANT({
            reason: `subject_token: ${err instanceof TokenError ? err.reason : 'invalid'}`,
          });
        }
      } else {
        const user = subjectToken.includes('@')
          ? await deps.users.findByEmail(subjectToken)
          : await deps.users.findById(subjectToken);
        userId = user?.id;
      }
      const user = userId ? await deps.users.findById(userId) : undefined;
      if (user?.status !== 'active') {
        await deps.audit.record({
          action: 'token_exchange',
          outcome: 'failure',
          actor: caller.subject,
          target: subjectToken.slice(0, 64),
          ip,
        });
        throw authErrors.AUTH_INVALID_GRANT({ reason: 'subject_token names no active user.' });
      }
      const { token, expiresIn } = await deps.jwt.sign({
        sub: user.id,
        roles: user.roles,
        act: caller.subject,
        ttlSeconds: EXCHANGED_TOKEN_TTL_SECONDS,
      });
      await deps.audit.record({
        action: 'token_exchange',
        outcome: 'success',
        actor: caller.subject,
        target: user.id,
        ip,
      });
      return {
        access_token: token,
        token_type: 'Bearer' as const,
        expires_in: expiresIn,
        issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      };
    },

    /** RFC 7662 introspection of an access token or API key; anything else is `{ active: false }`. */
    async introspect(token: string, issuer: string, audience: string) {
      const key = await apiKeyIdentity(token);
      if (key) {
        return {
          active: true,
          sub: key.subject,
          token_type: 'api_key',
          client_id: key.keyId,
          exp: key.expiresAt,
          roles: [...key.roles],
          permissions: [...key.permissions],
          scope: [...key.permissions].join(' '),
          iss: issuer,
          aud: audience,
        };
      }
      if (token.startsWith(API_KEY_PREFIX)) return { active: false };
      try {
        const id = await deps.verifier.verify(token);
        if (id.sessionId) {
          const session = await deps.sessions.findById(id.sessionId);
          if (!session || session.revoked_at) return { active: false };
        }
        return {
          active: true,
          sub: id.subject,
          token_type: 'access_token',
          exp: id.expiresAt,
          roles: [...id.roles],
          permissions: [...id.permissions],
          scope: [...id.permissions].join(' '),
          iss: issuer,
          aud: audience,
          ...(id.sessionId ? { sid: id.sessionId } : {}),
          ...(id.actor ? { act: { sub: id.actor } } : {}),
        };
      } catch {
        return { active: false };
      }
    },
  };
}
export type CredentialService = ReturnType<typeof createCredentialService>;
