import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError, EXIT } from './cli-error.js';

/** What `opsmesh login` keeps per gateway, as `gh` keeps its tokens per host. */
export interface HostEntry {
  user: string;
  user_id: string;
  access_token: string;
  refresh_token: string;
  /** When the access token expires (ISO 8601). */
  expires_at: string;
}

export interface HostsFile {
  /** The gateway the last `login` went to: used when neither --url nor OPSMESH_URL says. */
  default?: string;
  hosts: Record<string, HostEntry>;
}

/** The directory of hosts.json: OPSMESH_CONFIG_DIR, else $XDG_CONFIG_HOME/opsmesh, else ~/.config/opsmesh. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['OPSMESH_CONFIG_DIR']) return env['OPSMESH_CONFIG_DIR'];
  return join(env['XDG_CONFIG_HOME'] || join(homedir(), '.config'), 'opsmesh');
}

/**
 * hosts.json: read whole, written whole (to a temporary file renamed over it, mode 0600 in a 0700
 * directory: the tokens are credentials). `withLock` serialises token refreshes across processes:
 * refresh tokens rotate on use and a reused one revokes the whole session, so two scripts
 * refreshing at once must not both spend the same token.
 *
 * @example
 * const store = new HostsStore(configDir());
 * const entry = store.read().hosts['http://127.0.0.1:8080'];
 */
export class HostsStore {
  readonly path: string;

  constructor(readonly dir: string) {
    this.path = join(dir, 'hosts.json');
  }

  read(): HostsFile {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return { hosts: {} };
      throw err;
    }
    try {
      const parsed = JSON.parse(text) as Partial<HostsFile>;
      return { ...parsed, hosts: parsed.hosts ?? {} };
    } catch {
      throw new CliError(`${this.path} is not valid JSON; delete it and log in again.`, EXIT.failure);
    }
  }

  write(file: HostsFile): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    // The mode given to writeFileSync is masked by the umask; the tokens are for this user only.
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.path);
  }

  /** Changes one host's entry (undefined removes it) and writes the file. */
  update(host: string, entry: HostEntry | undefined, makeDefault = false): void {
    const file = this.read();
    if (entry) file.hosts[host] = entry;
    else delete file.hosts[host];
    if (makeDefault) file.default = host;
    if (!entry && file.default === host) delete file.default;
    this.write(file);
  }

  /** Runs `fn` holding hosts.json.lock; a lock older than `staleMs` (a killed process) is taken over. */
  async withLock<T>(fn: () => Promise<T>, timeoutMs = 15_000, staleMs = 30_000): Promise<T> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const lock = `${this.path}.lock`;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const handle = await open(lock, 'wx', 0o600);
        await handle.close();
        break;
      } catch (err) {
        if ((err as { code?: string }).code !== 'EEXIST') throw err;
        try {
          if (Date.now() - statSync(lock).mtimeMs > staleMs) rmSync(lock, { force: true });
        } catch {
          // Released between the two calls: try again.
        }
        if (Date.now() > deadline) {
          throw new CliError(
            `${lock} is held by another opsmesh process; if none runs, delete the file.`,
            EXIT.failure,
          );
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    try {
      return await fn();
    } finally {
      rmSync(lock, { force: true });
    }
  }
}
