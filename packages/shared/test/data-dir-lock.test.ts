import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** A pid no process has now: one that just exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

function racer(arg: unknown): Promise<boolean[]> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      join(import.meta.dirname, 'fixtures', 'data-dir-racer.ts'),
      JSON.stringify(arg),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  return new Promise((resolve, reject) =>
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as boolean[]) : reject(new Error(`racer exited ${code}`)),
    ),
  );
}

describe('the embedded data directory lock, claimed by processes starting together', () => {
  const root = mkdtempSync(join(tmpdir(), 'opsmesh-dirlock-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('goes to one process when several find the lock a dead process left, each time', async () => {
    const PROCESSES = 4;
    const ROUNDS = 40;
    const dead = await deadPid();
    const dirs = Array.from({ length: ROUNDS }, (_, i) => join(root, `stale-${i}`, 'pgdata'));
    for (const dir of dirs) {
      mkdirSync(join(dir, '..'), { recursive: true });
      writeFileSync(`${dir}.lock`, String(dead));
    }
    // Started well after the processes have loaded, one directory every 50 ms.
    const arg = { dirs, startAt: Date.now() + 8000, stepMs: 50 };
    const results = await Promise.all(Array.from({ length: PROCESSES }, () => racer(arg)));
    const holders = dirs.map((_, i) => results.filter((r) => r[i]).length);
    expect(holders).toEqual(dirs.map(() => 1));
  }, 60_000);
});
