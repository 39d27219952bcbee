import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

/** Lock files this process holds, so it does not open one data directory twice either. */
const held = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as { code?: string }).code === 'EPERM';
  }
}

/** Links `tmp` as `path` unless `path` exists; true when this call made it. */
function claim(tmp: string, path: string): boolean {
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === 'EEXIST') return false;
    throw err;
  }
}

/** The live process a lock file names, or null when the file is gone or its process is. */
function liveOwner(path: string): number | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return null;
    throw err;
  }
  const owner = Number.parseInt(text, 10);
  return Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner) ? owner : null;
}

/**
 * Claims `<dir>.lock` for this process: the embedded engine is one process's database, and two
 * processes writing one data directory would corrupt it. A lock left by a process that is gone
 * (killed) is taken over. Returns the release function.
 *
 * @example
 * const release = lockDataDir('/var/lib/opsmesh/ml/pgdata'); // throws when another replica has it
 */
export function lockDataDir(dir: string): () => void {
  const lock = `${dir}.lock`;
  const refuse = (owner: string) =>
    new Error(
      `the embedded database in ${dir} is already open (${owner}); it serves one process only, so run several replicas against PostgreSQL by setting DATABASE_URL`,
    );
  if (held.has(lock)) throw refuse('in this process');
  const tmp = `${lock}.${process.pid}.tmp`;
  writeFileSync(tmp, String(process.pid));
  try {
    if (!claim(tmp, lock)) {
      const owner = liveOwner(lock);
      if (owner !== null) throw refuse(`by process ${owner}`);
      takeOver(tmp, lock, refuse);
    }
  } finally {
    rmSync(tmp, { force: true });
  }
  held.add(lock);
  return () => {
    if (!held.delete(lock)) return;
    rmSync(lock, { force: true });
  };
}

/**
 * Replaces a lock whose process is gone. Processes starting together may all find the same stale
 * lock; had each removed it and linked its own, a later one would remove an earlier one's fresh
 * lock and both would open the directory. So the replacing is done by one process at a time,
 * whoever links `<lock>.takeover` first, and under it the lock is read again: the others then find
 * a live owner. A takeover file left by a process that died in the microseconds it holds one is
 * removed by the next start.
 */
function takeOver(tmp: string, lock: string, refuse: (owner: string) => Error): void {
  const guard = `${lock}.takeover`;
  if (!claim(tmp, guard)) {
    const taker = liveOwner(guard);
    if (taker !== null) throw refuse(`being taken over by process ${taker}`);
    rmSync(guard, { force: true });
    if (!claim(tmp, guard)) throw refuse('being taken over by another process');
  }
  try {
    const owner = liveOwner(lock);
    if (owner !== null) throw refuse(`by process ${owner}`);
    rmSync(lock, { force: true });
    // A process starting just now may have linked the lock since; then it is that one's.
    if (!claim(tmp, lock)) throw refuse(`by process ${liveOwner(lock) ?? 'another process'}`);
  } finally {
    rmSync(guard, { force: true });
  }
}
