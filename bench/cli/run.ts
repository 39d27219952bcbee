/**
 * CLI start-up: the median wall time of `opsmesh --help` and of `opsmesh logout` with no login
 * (a command that reads its config and needs no server), against `node -e 0` measured in the same
 * run (Node's own start, the floor), each as a new process, in alternating rounds. Also the same
 * two from the TypeScript source (what runs without the build, or after an edit until the next
 * `npm ci` / `npm run build -w @opsmesh/cli`), and `npx opsmesh --help` (npm's own start added).
 * The build (scripts/build.mjs, as `npm ci` runs it) is made first.
 *   npm run bench -w @opsmesh/cli        (BENCH_ROUNDS rounds, 9 unless set; about 30 s)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '@opsmesh/shared/testing';

const ROUNDS = Math.max(1, Number(process.env['BENCH_ROUNDS'] ?? 9));
const TARGET_RATIO = 3;
const CLI = join(REPO_ROOT, 'packages', 'cli');
const BIN = join(CLI, 'bin', 'opsmesh.mjs');
const node = process.execPath;
const fromSource = [node, '--conditions=source', '--import', 'tsx', join(CLI, 'src', 'main.ts')];

const built = spawnSync(node, [join(CLI, 'scripts', 'build.mjs')], { stdio: 'inherit' });
if (built.status !== 0) throw new Error('the CLI build failed');

const config = mkdtempSync(join(tmpdir(), 'opsmesh-bench-cli-'));
// No login, token, gateway or node options of the caller's.
const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^OPSMESH_|^NODE_OPTIONS$/.test(k))),
  OPSMESH_CONFIG_DIR: config,
};

const cases: { label: string; argv: string[] }[] = [
  { label: 'node -e 0 (baseline)', argv: [node, '-e', '0'] },
  { label: 'opsmesh --help', argv: [node, BIN, '--help'] },
  { label: 'opsmesh logout (no login)', argv: [node, BIN, 'logout'] },
  { label: 'opsmesh --help, from source', argv: [...fromSource, '--help'] },
  { label: 'opsmesh logout, from source', argv: [...fromSource, 'logout'] },
  { label: 'npx opsmesh --help', argv: ['npx', 'opsmesh', '--help'] },
];

/** Wall time of one run, in ms; a failed run stops the bench. */
function time(argv: string[]): number {
  const started = performance.now();
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd: REPO_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

try {
  for (const c of cases) time(c.argv); // warm the file cache
  const times = cases.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, c] of cases.entries()) times[i]!.push(time(c.argv));
  }
  const medians = times.map(median);
  const base = medians[0]!;
  console.log(`## opsmesh start-up: median wall time of ${ROUNDS} alternating rounds, one process each`);
  cases.forEach((c, i) => {
    const ms = medians[i]!;
    const ratio = i === 0 ? '' : `   ${(ms / base).toFixed(1)}x node -e 0`;
    const target = i === 1 || i === 2 ? ` (target <= ${TARGET_RATIO}x)` : '';
    console.log(`${c.label.padEnd(30)} ${Math.round(ms).toString().padStart(5)} ms${ratio}${target}`);
  });
  console.log(
    `compiled / from source: --help ${(medians[1]! / medians[3]!).toFixed(2)}, logout ${(medians[2]! / medians[4]!).toFixed(2)}`,
  );
} finally {
  rmSync(config, { recursive: true, force: true });
}
