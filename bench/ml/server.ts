import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '@opsmesh/shared/testing';

/** Starts a server as its own process and waits until `readyPath` answers 2xx. */

export interface RunningServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
  output(): string;
  /** CPU seconds the process has used so far, all its threads (Linux; NaN elsewhere). */
  cpuSeconds(): number;
  /** CPU seconds of its main thread alone, the one that runs the event loop (Linux; NaN elsewhere). */
  mainThreadCpuSeconds(): number;
}

/**
 * utime + stime from a /proc stat file, in seconds (the kernel counts 100 ticks a second):
 * `/proc/<pid>/stat` for the whole process, `/proc/<pid>/task/<pid>/stat` for its main thread.
 */
function cpuSecondsOf(statPath: string): number {
  try {
    const stat = readFileSync(statPath, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

async function startProcess(opts: {
  cwd: string;
  script: string;
  env: Record<string, string>;
  nodeArgs: string[];
  readyPath: string;
  readyTimeoutMs: number;
}): Promise<RunningServer> {
  const { readyTimeoutMs } = opts;
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [...opts.nodeArgs, '--conditions=source', '--import', 'tsx', opts.script],
    {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env, PORT: String(port), HOST: '127.0.0.1' },
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
    if (child.exitCode !== null) throw new Error(`${opts.script} exited with ${child.exitCode}:\n${log}`);
    const ok = await fetch(`${url}${opts.readyPath}`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${opts.script} not ready within ${readyTimeoutMs} ms:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    pid: child.pid ?? 0,
    output: () => log,
    cpuSeconds: () => cpuSecondsOf(`/proc/${child.pid ?? 0}/stat`),
    mainThreadCpuSeconds: () => cpuSecondsOf(`/proc/${child.pid ?? 0}/task/${child.pid ?? 0}/stat`),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

/** The real ML service (src/main.ts) as its own process, the way `npm start` runs it. */
export function startServer(env: Record<string, string>, readyTimeoutMs = 120_000): Promise<RunningServer> {
  return startProcess({
    cwd: fileURLToPath(new URL('../../services/ml-service/', import.meta.url)),
    script: 'src/main.ts',
    env,
    // ML_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the service under the load.
    nodeArgs: process.env['ML_NODE_ARGS']?.split(' ').filter(Boolean) ?? [],
    readyPath: '/health/ready',
    readyTimeoutMs,
  });
}

/** The peer (peer-server.ts): the plain node:http + InferenceSession server, on the model at `modelPath`. */
export function startPeer(modelPath: string, readyTimeoutMs = 60_000): Promise<RunningServer> {
  return startProcess({
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    script: 'peer-server.ts',
    env: { MODEL_PATH: modelPath },
    nodeArgs: process.env['PEER_NODE_ARGS']?.split(' ').filter(Boolean) ?? [],
    readyPath: '/',
    readyTimeoutMs,
  });
}
