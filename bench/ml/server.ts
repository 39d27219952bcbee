import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '@opsmesh/shared/testing';

/** Starts the real ML service (src/main.ts) as its own process, the way `npm start` does. */

export interface RunningServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
  output(): string;
}

export async function startServer(
  env: Record<string, string>,
  readyTimeoutMs = 120_000,
): Promise<RunningServer> {
  const port = await freePort();
  const serviceDir = fileURLToPath(new URL('../../services/ml-service/', import.meta.url));
  const child: ChildProcess = spawn(
    process.execPath,
    // ML_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the service under the load.
    [
      ...(process.env['ML_NODE_ARGS']?.split(' ').filter(Boolean) ?? []),
      '--conditions=source',
      '--import',
      'tsx',
      'src/main.ts',
    ],
    {
      cwd: serviceDir,
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  child.stdout?.on('data', (d) => {
    log = (log + d).slice(-20_000);
  });
  child.stderr?.on('data', (d) => {
    log = (log + d).slice(-20_000);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`ml-service exited with ${child.exitCode}:\n${log}`);
    const ok = await fetch(`${url}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`ml-service not ready within ${readyTimeoutMs} ms:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    pid: child.pid ?? 0,
    output: () => log,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}
