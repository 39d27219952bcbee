import { createDatabase, type Database } from './database.js';

/**
 * A service's database at start-up: `createDatabase`, then, with `url` (DATABASE_URL), one query,
 * so a server that cannot be reached or refuses the login ends the process with one line naming
 * the variable, the address (password hidden) and the cause, instead of the driver's stack trace
 * from the first migration, printed again at every restart.
 *
 * @example
 * const database = await openServiceDatabase<AuthDB>('auth-service', {
 *   service: 'auth', dataDir: config.OPSMESH_DATA_DIR, url: config.DATABASE_URL,
 * });
 */
export async function openServiceDatabase<DB>(
  name: string,
  options: Parameters<typeof createDatabase>[0],
  exit: (message: string) => never = exitWith,
): Promise<Database<DB>> {
  const database = await createDatabase<DB>(options);
  if (!options.url) return database;
  try {
    await database.ping();
  } catch (err) {
    await database.close().catch(() => {});
    exit(
      `${name}: cannot use the PostgreSQL database at ${hidePassword(options.url)} (DATABASE_URL): ${(err as Error).message}. Start PostgreSQL there or correct DATABASE_URL; left unset, the service keeps an embedded database under OPSMESH_DATA_DIR.`,
    );
  }
  return database;
}

function exitWith(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** The URL with its password, if any, shown as `***`. */
function hidePassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the address given';
  }
}
