import { fileURLToPath } from 'node:url';
import type { Database } from '@opsmesh/shared/db/database';
import { createAuthenticator } from '@opsmesh/shared/identity/authenticator';
import { RevocationList } from '@opsmesh/shared/identity/revocation-list';
import { createTokenVerifier, type TokenVerifier } from '@opsmesh/shared/identity/token-verifier';
import type { AuthConfig } from './config.js';
import { createApiKeyRepository } from './models/api-key.js';
import { createAuditRepository } from './models/audit.js';
import type { AuthDB } from './models/db.js';
import { createLoginThrottleRepository } from './models/login-throttle.js';
import { createRevocationRepository } from './models/revocation.js';
import { createServiceAccountRepository } from './models/service-account.js';
import { createSessionRepository } from './models/session.js';
import { createSigningKeyRepository } from './models/signing-key.js';
import { createUserRepository } from './models/user.js';
import { createCredentialService } from './services/credential-service.js';
import { createJwtService } from './services/jwt-service.js';
import { DEFAULT_THROTTLE } from './services/login-throttle.js';
import { createPasswordService, loadCommonPasswords } from './services/password-service.js';
import { createRetention } from './services/retention.js';
import { createRevocationHub } from './services/revocation-hub.js';
import { createSessionService } from './services/session-service.js';
import { createUserService } from './services/user-service.js';

export const COMMON_PASSWORDS_FILE = fileURLToPath(new URL('../data/common-passwords.txt', import.meta.url));

/** Builds every repository and service of the auth service over one database, and loads its keys. */
export async function createAuthDeps(config: AuthConfig, database: Database<AuthDB>) {
  const db = database.db;
  const users = createUserRepository(db);
  const sessionRepo = createSessionRepository(db);
  const apiKeys = createApiKeyRepository(db);
  const serviceAccounts = createServiceAccountRepository(db);
  const audit = createAuditRepository(db);
  const passwords = createPasswordService({ commonPasswords: loadCommonPasswords(COMMON_PASSWORDS_FILE) });
  const jwt = createJwtService({
    keys: createSigningKeyRepository(db),
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
  });
  await jwt.init();
  const verifier: TokenVerifier = createTokenVerifier({
    keys: jwt.keySource,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
  const credentials = createCredentialService({
    users,
    sessions: sessionRepo,
    apiKeys,
    serviceAccounts,
    audit,
    jwt,
    verifier,
    apiKeysMax: config.API_KEYS_MAX,
  });
  const revocations = new RevocationList({ maxAgeSeconds: config.ACCESS_TOKEN_TTL_SECONDS + 120 });
  const authenticator = createAuthenticator({
    verifier,
    introspect: (key) => credentials.apiKeyIdentity(key),
    apiKeyTtlMs: 5000,
    revocations,
  });
  // Revocations made on any replica reach this one's verifier, and a rotation its signing key.
  const revocationHub = createRevocationHub({
    database,
    repo: createRevocationRepository(db),
    windowSeconds: config.ACCESS_TOKEN_TTL_SECONDS + 120,
    onEvents: async (events) => {
      revocations.apply({ cursor: 0, reset: false, events });
      authenticator.revoked(events);
      if (events.some((e) => e.kind === 'keys')) await jwt.reload();
    },
  });
  return {
    database,
    retention: createRetention({
      database,
      sessions: sessionRepo,
      apiKeys,
      retentionDays: config.REVOKED_RETENTION_DAYS,
    }),
    verifier,
    authenticator,
    revocationHub,
    jwt,
    audit,
    sessionRepo,
    passwords,
    credentials,
    users: createUserService({ users, sessions: sessionRepo, apiKeys, audit, passwords }),
    sessions: createSessionService({
      users,
      sessions: sessionRepo,
      audit,
      passwords,
      jwt,
      phantom: createLoginThrottleRepository(db, DEFAULT_THROTTLE),
      sessionTtlSeconds: config.SESSION_TTL_DAYS * 86_400,
      sessionsMax: config.SESSIONS_MAX,
    }),
  };
}
export type AuthDeps = Awaited<ReturnType<typeof createAuthDeps>>;
