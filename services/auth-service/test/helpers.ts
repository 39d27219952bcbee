import { randomBytes } from 'node:crypto';
import { createDatabase, loadConfig, migrate, type ServiceApp } from '@opsmesh/shared';
import type { TestDatabase } from '@opsmesh/shared/testing';
import { buildApp } from '../src/app.js';
import { type AuthConfig, AuthConfigSchema } from '../src/config.js';
import { type AuthDeps, createAuthDeps } from '../src/deps.js';
import type { AuthDB } from '../src/models/db.js';

export const ADMIN_EMAIL = 'admin@opsmesh.test';
export const ADMIN_PASSWORD = 'correct horse battery staple';

export function testConfig(overrides: Record<string, string> = {}): AuthConfig {
  return loadConfig(
    'auth-service',
    AuthConfigSchema,
    {
      LOG_LEVEL: 'silent',
      OPSMESH_ADMIN_EMAIL: ADMIN_EMAIL,
      OPSMESH_ADMIN_PASSWORD: ADMIN_PASSWORD,
      REGISTRATION: 'open',
      ...overrides,
    },
    { dotenvPath: false },
  );
}

export interface Harness {
  app: ServiceApp;
  deps: AuthDeps;
  config: AuthConfig;
  close(): Promise<void>;
}

/** Builds the auth service over `target` (a fresh database), migrated and with its bootstrap admin. */
/** An in-memory embedded database, for suites that need neither a restart nor PostgreSQL. */
export const IN_MEMORY: TestDatabase = { url: undefined, dataDir: 'memory://', drop: async () => {} };

export async function startAuth(
  target: TestDatabase,
  overrides: Record<string, string> = {},
): Promise<Harness> {
  const config = testConfig(overrides);
  const database = await createDatabase<AuthDB>({
    service: 'auth',
    dataDir: target.dataDir,
    url: target.url,
  });
  await migrate(database.db, new URL('../migrations', import.meta.url));
  const deps = await createAuthDeps(config, database);
  await deps.users.bootstrapAdmin(config.OPSMESH_ADMIN_EMAIL, config.OPSMESH_ADMIN_PASSWORD);
  const app = buildApp(config, deps, { processMetrics: false });
  await app.ready();
  return { app, deps, config, close: () => app.close() };
}

export function uniqueEmail(tag = 'user'): string {
  return `${tag}.${randomBytes(5).toString('hex')}@opsmesh.test`;
}

export async function login(app: ServiceApp, email: string, password: string) {
  const res = await app.inject({ method: 'POST', url: '/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return res.json() as {
    access_token: string;
    refresh_token: string;
    expires_in: number;
    token_type: string;
  };
}

/** Creates a user with `roles` through the admin API and logs them in. */
export async function userWithRoles(app: ServiceApp, adminToken: string, roles: string[]) {
  const email = uniqueEmail(roles.join('-'));
  const password = `pw ${randomBytes(8).toString('hex')} long`;
  const res = await app.inject({
    method: 'POST',
    url: '/users',
    headers: { authorization: `Bearer ${adminToken}` },
    payload: { email, password, display_name: 'Test User', roles },
  });
  if (res.statusCode !== 201) throw new Error(`create user failed: ${res.statusCode} ${res.body}`);
  const tokens = await login(app, email, password);
  return { id: res.json().id as string, email, password, ...tokens };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
