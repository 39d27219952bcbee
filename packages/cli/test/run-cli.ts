import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '@opsmesh/shared/testing';

/** The bin as `npm ci` links it: what `npx opsmesh` runs. */
export const OPSMESH_BIN = join(REPO_ROOT, 'node_modules', '.bin', 'opsmesh');

/** The test process's environment without any opsmesh login or database settings of its own. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^OPSMESH_|^DATABASE_URL$/.test(k)));
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read --json output field by field
  json: any;
}

/**
 * Runs the `opsmesh` bin as a user would, with `env` over a clean environment (no login, no
 * OPSMESH_* from the caller) and `input` on stdin; resolves when it exits.
 *
 * @example
 * const r = await runCli(['whoami', '--json'], { OPSMESH_CONFIG_DIR: dir, OPSMESH_URL: gateway });
 */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  options: { input?: string; cwd?: string; command?: string[] } = {},
): Promise<CliRun> {
  const base = cleanEnv();
  const [cmd, ...pre] = options.command ?? [OPSMESH_BIN];
  const child = spawn(cmd!, [...pre, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...base, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString('utf8');
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
  });
  child.stdin.end(options.input ?? '');
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ code, stdout, stderr, json });
    });
  });
}

const shellQuote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

/**
 * Runs the bin on a pseudo-terminal (util-linux `script`), as a person at a terminal would: each
 * answer of `dialogue` is typed once the output shows its prompt. stdout and stderr arrive mixed,
 * with the terminal's carriage returns, in `stdout`.
 *
 * @example
 * await runInTerminal(['login'], env, [[/Email: /, 'a@b.c'], [/Password: /, 'secret']]);
 */
export function runInTerminal(
  args: string[],
  env: NodeJS.ProcessEnv,
  dialogue: [RegExp, string][] = [],
  timeoutMs = 120_000,
): Promise<CliRun> {
  const base = cleanEnv();
  const line = [OPSMESH_BIN, ...args].map(shellQuote).join(' ');
  const child = spawn('script', ['-qfec', line, '/dev/null'], {
    cwd: REPO_ROOT,
    env: { ...base, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let step = 0;
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString('utf8');
    while (step < dialogue.length && dialogue[step]![0].test(stdout)) {
      child.stdin.write(`${dialogue[step]![1]}\r`);
      step++;
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, stdout, stderr: '', json: undefined });
    });
  });
}
