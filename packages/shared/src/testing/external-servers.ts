import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether a binary from a Debian package is on PATH. */
export function hasBinary(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Why a test that needs `binary` must be skipped, or null when it can run. In CI a missing binary
 * is an error (the CI script installs it), elsewhere the test is skipped with a printed notice.
 */
export function skipUnlessBinary(binary: string, debianPackage: string): string | null {
  if (hasBinary(binary)) return null;
  const inCi = process.env['CI'] === 'true' || process.env['CI'] === '1';
  if (inCi) throw new Error(`${binary} is not installed; CI needs the Debian package ${debianPackage}`);
  process.stderr.write(
    `notice: ${binary} not found (Debian package ${debianPackage}); its tests are skipped\n`,
  );
  return `${binary} not installed`;
}

export function freePort(): number {
  return 20000 + Math.floor(Math.random() * 20000);
}

export interface RunningServer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** A throwaway etcd on loopback ports with its own data directory, stopped and removed after. */
export async function startEtcd(): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'opsmesh-etcd-'));
  const client = freePort();
  const peer = client + 1;
  const child = spawn(
    'etcd',
    [
      '--data-dir',
      dir,
      '--listen-client-urls',
      `http://127.0.0.1:${client}`,
      '--advertise-client-urls',
      `http://127.0.0.1:${client}`,
      '--listen-peer-urls',
      `http://127.0.0.1:${peer}`,
      '--initial-advertise-peer-urls',
      `http://127.0.0.1:${peer}`,
      '--initial-cluster',
      `default=http://127.0.0.1:${peer}`,
      '--log-level',
      'error',
    ],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${client}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, process: child, stop };
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error('etcd did not become healthy within 20 s');
}
