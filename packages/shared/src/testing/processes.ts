import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { terminate } from '../supervisor/supervisor.js';

/**
 * The path of the first of `names` found on PATH, or undefined.
 *
 * @example
 * const bin = findBinary('prometheus-alertmanager', 'alertmanager');
 */
export function findBinary(...names: string[]): string | undefined {
  for (const name of names) {
    const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return undefined;
}

/**
 * Ends one process a test started as the supervisor ends a service: SIGTERM, then SIGKILL if it
 * is still there after `graceMs`; resolves once it has exited (at once when it already had).
 *
 * @example
 * await stopProcess(child, 10_000);
 */
export function stopProcess(child: ChildProcess, graceMs = 5000): Promise<void> {
  return terminate(child, graceMs);
}

export interface Started {
  process: ChildProcess;
  /** The last 20,000 characters it wrote (stdout and stderr), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts a binary, keeping its output for failure messages; `stop()` ends that process only.
 *
 * @example
 * const prometheus = startProcess(bin, ['--config.file=prometheus.yml']);
 * afterAll(() => prometheus.stop());
 */
export function startProcess(bin: string, args: string[]): Started {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { process: child, output: () => out, stop: () => stopProcess(child) };
}
