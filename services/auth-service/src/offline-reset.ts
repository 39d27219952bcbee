import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createDatabase } from '@opsmesh/shared/db/database';
import { migrate } from '@opsmesh/shared/db/migrate';
import { isAppError } from '@opsmesh/shared/errors/app-error';
import { COMMON_PASSWORDS_FILE } from './deps.js';
import { createApiKeyRepository } from './models/api-key.js';
import { createAuditRepository } from './models/audit.js';
import type { AuthDB } from './models/db.js';
import { createSessionRepository } from './models/session.js';
import { createUserRepository } from './models/user.js';
import { generatePassword } from './services/generated-password.js';
import { createPasswordService, loadCommonPasswords } from './services/password-service.js';
import { createUserService } from './services/user-service.js';

/** Where the offline reset looks for the auth service's data, and what it sets. */
export interface OfflineResetOptions {
  /** The platform's data directory (OPSMESH_DATA_DIR); the embedded database is under `auth/pgdata`. */
  dataDir: string;
  /** A PostgreSQL URL (DATABASE_URL): used instead of the data directory when set. */
  databaseUrl?: string | undefined;
  /** Whose password; the first admin created (the bootstrap admin) when absent. */
  email?: string | undefined;
  /** The new password; one is generated when absent. */
  password?: string | undefined;
}

export interface OfflineResetResult {
  email: string;
  userId: string;
  /** The new password when it was generated here, else null (the caller chose it). */
  generated: string | null;
}

/** The reset cannot run; `message` says why and what to do, `kind` what sort of failure it is. */
export class OfflineResetError extends Error {
  constructor(
    message: string,
    readonly kind: 'usage' | 'notFound' | 'conflict' | 'invalid' | 'failure',
  ) {
    super(message);
  }
}

/**
 * Resets a password with the auth service down, straight on its database: the same migrations,
 * repositories, password policy and hashing as the service, so the result is what the service
 * itself would have stored. Every session of the user is revoked and the lockout lifted.
 *
 * @example
 * const { email, generated } = await resetPasswordOffline({ dataDir: './data' });
 */
export async function resetPasswordOffline(options: OfflineResetOptions): Promise<OfflineResetResult> {
  const url = options.databaseUrl || undefined;
  if (url) checkDatabaseUrl(url);
  else {
    const pgdata = join(options.dataDir, 'auth', 'pgdata');
    // createDatabase would make an empty database here; a reset on one only hides a wrong path.
    if (!existsSync(pgdata)) {
      throw new OfflineResetError(
        `No auth database in ${pgdata}. Point OPSMESH_DATA_DIR (or --data-dir) at the data directory the platform runs with, or set DATABASE_URL when it runs on PostgreSQL.`,
        'notFound',
      );
    }
  }
  let database: Awaited<ReturnType<typeof createDatabase<AuthDB>>>;
  try {
    database = await createDatabase<AuthDB>({ service: 'auth', dataDir: options.dataDir, url, poolSize: 2 });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/already open/.test(message)) {
      throw new OfflineResetError(
        `The auth service is running on ${options.dataDir} (${message.match(/\(([^)]*)\)/)?.[1] ?? 'another process'}). While it runs, reset through it: opsmesh users reset-password <email>; or stop the platform and run this again.`,
        'conflict',
      );
    }
    throw new OfflineResetError(`Cannot open the auth database: ${message}`, 'failure');
  }
  try {
    await migrate(database.db, new URL('../migrations', import.meta.url)).catch((err) => {
      throw url ? unreachable(url, err) : err;
    });
    const db = database.db;
    const users = createUserService({
      users: createUserRepository(db),
      sessions: createSessionRepository(db),
      apiKeys: createApiKeyRepository(db),
      audit: createAuditRepository(db),
      passwords: createPasswordService({ commonPasswords: loadCommonPasswords(COMMON_PASSWORDS_FILE) }),
    });
    const row = options.email ? await users.findByEmail(options.email) : await users.firstAdmin();
    if (!row) {
      throw new OfflineResetError(
        options.email
          ? `No user with the email ${options.email} in this auth database; check the address or the data directory.`
          : 'This auth database has no admin yet; start the platform once (npm start) to create the bootstrap admin.',
        'notFound',
      );
    }
    const password = options.password ?? generatePassword();
    await users.resetPassword(row.id, password, null).catch((err) => {
      if (isAppError(err)) throw new OfflineResetError(`${err.title}: ${err.detail}`, 'invalid');
      throw err;
    });
    return { email: row.email, userId: row.id, generated: options.password ? null : password };
  } finally {
    await database.close();
  }
}

/** A DATABASE_URL that is not a PostgreSQL URL is refused before anything connects. */
function checkDatabaseUrl(url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')) {
    throw new OfflineResetError(
      'The database URL is not a PostgreSQL URL; give one such as postgres://user@host:5432/auth (--database-url or DATABASE_URL).',
      'usage',
    );
  }
}

/** The first query failed: the server is not there, refuses us, or has no such database. */
function unreachable(url: string, err: unknown): OfflineResetError {
  const where = new URL(url);
  where.password = '';
  const message = err instanceof Error ? err.message : String(err);
  return new OfflineResetError(
    `Cannot use the auth database at ${where.host}${where.pathname} (${message}); check --database-url or DATABASE_URL and that PostgreSQL runs.`,
    'failure',
  );
}

export { generatePassword } from './services/generated-password.js';
