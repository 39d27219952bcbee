import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverServices, portVariable, Supervisor } from '../supervisor/supervisor.js';
import { freePort } from './external-servers.js';

/** The repository root, from this file's place in packages/shared. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../../..');

export const SYSTEM_ADMIN = { email: 'admin@opsmesh.test', password: 'correct-horse-battery-42' };

export interface RunningSystem {
  supervisor: Supervisor;
  /** The gateway's base URL: the platform's one public entry. */
  gateway: string;
  /** The platform's data directory (OPSMESH_DATA_DIR), removed by stop(). */
  dataDir: string;
  /** The last lines every service wrote, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * The whole platform as processes, as `npm start` runs it: every service from its package.json
 * `opsmesh` block, on free loopback ports (never the defaults another run may hold), with a
 * throwaway data directory and a known bootstrap admin (SYSTEM_ADMIN). `env` adds or overrides
 * settings, e.g. a short scrape interval.
 */
export async function startSystem(env: NodeJS.ProcessEnv = {}): Promise<RunningSystem> {
  const dataDir = mkdtempSync(join(tmpdir(), 'opsmesh-system-'));
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    OPSMESH_DATA_DIR: dataDir,
    OPSMESH_ADMIN_EMAIL: SYSTEM_ADMIN.email,
    OPSMESH_ADMIN_PASSWORD: SYSTEM_ADMIN.password,
    LOG_LEVEL: 'warn',
  };
  for (const name of ['OPSMESH_SERVICES', 'DATABASE_URL', 'ETCD_URL', 'DNS_SERVICES', 'PROMETHEUS_URL']) {
    delete childEnv[name];
  }
  Object.assign(childEnv, env);
  const services = discoverServices(REPO_ROOT);
  for (const spec of services) childEnv[portVariable(spec.name)] = String(await freePort());
  const lines: string[] = [];
  const supervisor = new Supervisor({
    root: REPO_ROOT,
    env: childEnv,
    services,
    onOutput: (service, line) => {
      lines.push(`${service}: ${line}`);
      if (lines.length > 200) lines.shift();
    },
    say: () => {},
    readyTimeoutMs: 90_000,
  });
  const stop = async () => {
    await supervisor.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await supervisor.start();
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n${lines.slice(-30).join('\n')}`);
  }
  return {
    supervisor,
    gateway: supervisor.url('gateway'),
    dataDir,
    output: () => lines.slice(-30).join('\n'),
    stop,
  };
}

/** A JSON answer from the platform: status, parsed body (undefined when empty) and headers. */
export interface JsonAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests check answers field by field
  body: any;
  headers: Headers;
}

/**
 * Calls a running platform with an optional bearer token and JSON body.
 *
 * @example
 * const call = jsonCaller(system.gateway);
 * const { body } = await call('POST', '/api/auth/login', undefined, SYSTEM_ADMIN);
 */
export function jsonCaller(base: string) {
  return async (method: string, path: string, token?: string, body?: unknown): Promise<JsonAnswer> => {
    const res = await fetch(base + path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
}
