import { fileURLToPath } from 'node:url';
import { createAuthenticator, createTokenVerifier, type Database, type TokenVerifier } from '@opsmesh/shared';
import type { AuthConfig } from './config.js';
import { createApiKeyRepository } from './models/api-key.js';
import { createAuditRepository } from './models/audit.js';
import type { AuthDB } from './models/db.js';
import { createServiceAccountRepository } from './models/service-account.js';
import { createSessionRepository } from './models/session.js';
import { createSigningKeyRepository } from './models/signing-key.js';
import { createUserRepository } from './models/user.js';
import { createCredentialService } from './services/credential-service.js';
import { createJwtService } from './services/jwt-service.js';
import { createPasswordService, loadCommonPasswords } from './services/password-service.js';
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
  });
  const authenticator = createAuthenticator({
    verifier,
    introspect: (key) => credentials.apiKeyIdentity(key),
    apiKeyTtlMs: 5000,
  });
  return {
    database,
    verifier,
    authenticator,
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
      sessionTtlSeconds: config.SESSION_TTL_DAYS * 86_400,
    }),
  };
}
export type AuthDeps = Awaited<ReturnType<typeof createAuthDeps>>;
