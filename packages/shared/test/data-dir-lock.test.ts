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

/** A racer process: its answer once printed, and `finish` to let it exit. */
function racer(arg: unknown): { held: Promise<boolean[]>; finish: () => Promise<void> } {
  const child = spawn(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      join(import.meta.dirname, 'fixtures', 'data-dir-racer.ts'),
      JSON.stringify(arg),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let out = '';
  const held = new Promise<boolean[]>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.endsWith('\n')) resolve(JSON.parse(out) as boolean[]);
    });
    void exited.then((code) => reject(new Error(`racer exited ${code} before answering`)));
  });
  return {
    held,
    finish: async () => {
      child.stdin.end();
      await exited;
    },
  };
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
    // Every racer stays alive until all have answered: a lock whose process has exited is free.
    const racers = Array.from({ length: PROCESSES }, () => racer(arg));
    const results = await Promise.all(racers.map((r) => r.held)).finally(() =>
      Promise.all(racers.map((r) => r.finish())),
    );
    const holders = dirs.map((_, i) => results.filter((r) => r[i]).length);
    expect(holders).toEqual(dirs.map(() => 1));
  }, 60_000);
});
