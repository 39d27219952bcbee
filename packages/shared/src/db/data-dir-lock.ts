import { linkSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';

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
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(tmp, lock);
        break;
      } catch (err) {
        if ((err as { code?: string }).code !== 'EEXIST' || attempt > 0) throw err;
        const owner = Number.parseInt(readFileSync(lock, 'utf8'), 10);
        if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
          throw refuse(`by process ${owner}`);
        }
        unlinkSync(lock);
      }
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
