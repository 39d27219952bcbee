import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverServices, etcdDiscovery, portVariable, Supervisor } from '@opsmesh/shared';
import {
  createPostgresDatabase,
  freePort,
  REPO_ROOT,
  type RunningServer,
  SYSTEM_ADMIN,
  startEtcd,
  stopProcess,
  type TestDatabase,
} from '@opsmesh/shared/testing';

/** The services with a database of their own, in the order they start. */
const BACKENDS = ['auth-service', 'ml-service', 'monitoring-service', 'chatops-service'] as const;
export type Backend = (typeof BACKENDS)[number];

/** One process of one service, on its own loopback port and data directory. */
export interface Replica {
  service: string;
  /** Its index among its service's replicas (0, 1, ...). */
  index: number;
  url: string;
  pid(): number | undefined;
  /** Sends `signal` (SIGKILL by default) and resolves once the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the process again on the same port and data directory; resolves once it is ready. */
  restart(): Promise<void>;
}

export interface ReplicaCluster {
  etcd: RunningServer;
  replicas: Record<string, Replica[]>;
  /** The gateways' base URLs: the public entries. */
  gateways: string[];
  /** Which instances etcd lists for a service right now. */
  listed(service: string): Promise<string[]>;
  /** The last lines every process wrote, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** Replicas of each backend service. */
  replicas: number;
  gateways: number;
  /** Added to every process's environment (or to one service's, under its name). */
  env?: NodeJS.ProcessEnv;
  envOf?: Partial<Record<string, NodeJS.ProcessEnv>>;
  readyTimeoutMs?: number;
}

/** A port taken by another process between choosing it and binding it: worth a new port. */
class PortTaken extends Error {}

/**
 * Waits until the process launched as `instance` answers ready at `url`. Another process answering
 * there (a port chosen free and taken before this one bound it, by a test running beside this one)
 * is not this one: that is a `PortTaken`, as is this one exiting because the port was in use.
 */
async function waitReady(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  what: string,
  instance: string,
  portInUse: () => boolean,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      if (portInUse()) throw new PortTaken(`${what}: ${url} was taken`);
      throw new Error(`${what} exited (${child.signalCode ?? child.exitCode}) before it was ready`);
    }
    try {
      const res = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(3000) });
      const body = (await res.json().catch(() => ({}))) as { instance?: string; service?: string };
      if (body.instance !== undefined && body.instance !== instance) {
        child.kill('SIGKILL');
        throw new PortTaken(`${what}: ${url} is answered by ${body.service ?? 'another process'}`);
      }
      if (res.ok) return;
      last = `readiness answered ${res.status}`;
    } catch (err) {
      if (err instanceof PortTaken) throw err;
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} was not ready within ${timeoutMs} ms (${last})`);
}

/**
 * The platform as several replicas of every service behind several gateways, each its own
 * process started the way `npm start` starts it (same entry, same `--import` hooks, the
 * environment the Supervisor sets up), over a throwaway etcd (discovery), a PostgreSQL database
 * per service shared by its replicas, and Redis for the gateways' limits. Every replica announces
 * itself in etcd; nothing is addressed by a fixed port.
 *
 * @example
 * const cluster = await startReplicaCluster({ replicas: 2, gateways: 2 });
 * await cluster.replicas['ml-service']![0]!.kill();
 */
export async function startReplicaCluster(options: ClusterOptions): Promise<ReplicaCluster> {
  const etcd = await startEtcd();
  const databases: Partial<Record<Backend, TestDatabase>> = {};
  const dataDirs: string[] = [];
  const children = new Set<ChildProcess>();
  const lines: string[] = [];
  const replicas: Record<string, Replica[]> = {};
  const specs = new Map(discoverServices(REPO_ROOT).map((s) => [s.name, s]));

  const stop = async () => {
    await Promise.all([...children].map((child) => stopProcess(child, 10_000)));
    await etcd.stop();
    await Promise.all(Object.values(databases).map((d) => d?.drop().catch(() => {})));
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  };

  try {
    for (const service of BACKENDS) {
      databases[service] = await createPostgresDatabase(`opsmesh_scale_${service.replace(/-service$/, '')}`);
    }
    const ports: Record<string, number[]> = {};
    const counts: Record<string, number> = {
      ...Object.fromEntries(BACKENDS.map((s) => [s, options.replicas])),
      gateway: options.gateways,
    };
    for (const [service, n] of Object.entries(counts)) {
      ports[service] = await Promise.all(Array.from({ length: n }, () => freePort()));
    }
    const base: NodeJS.ProcessEnv = {
      ...process.env,
      OPSMESH_ADMIN_EMAIL: SYSTEM_ADMIN.email,
      OPSMESH_ADMIN_PASSWORD: SYSTEM_ADMIN.password,
      LOG_LEVEL: 'warn',
      ETCD_URL: etcd.url,
      AUTH_URL: `http://127.0.0.1:${ports['auth-service']![0]}`,
      ...options.env,
    };
    for (const name of ['OPSMESH_SERVICES', 'DNS_SERVICES', 'PROMETHEUS_URL', 'DATABASE_URL'])
      delete base[name];
    // The port variables make the Supervisor's static map and alert route; etcd replaces the map.
    for (const service of Object.keys(counts)) base[portVariable(service)] = String(ports[service]![0]);
    // Service accounts, the notify token and the alert route, exactly as `npm start` makes them.
    const supervisor = new Supervisor({ root: REPO_ROOT, env: base, say: () => {} });

    // Each launch its own instance id, which its health answers carry: the one waited for.
    const instances = new WeakMap<ChildProcess, string>();
    // Launches whose own output said their port was in use.
    const portTaken = new WeakSet<ChildProcess>();
    const launch = (service: string, index: number, dataDir: string): ChildProcess => {
      const spec = specs.get(service);
      if (!spec) throw new Error(`no service ${service} under services/`);
      const db = databases[service as Backend];
      const instance = `${service}-${index}-${Math.random().toString(36).slice(2, 10)}`;
      const env: NodeJS.ProcessEnv = {
        ...supervisor.environmentOf(service),
        PORT: String(ports[service]![index]),
        OPSMESH_INSTANCE_ID: instance,
        OPSMESH_DATA_DIR: dataDir,
        ...(db?.url ? { DATABASE_URL: db.url } : {}),
        ...options.envOf?.[service],
      };
      // The Supervisor points spans at one monitoring process; a deployment points them at the
      // monitoring Service. Here no single replica may be needed, so spans stay unexported.
      delete env['OPSMESH_TRACE_STORE_URL'];
      const child = spawn(
        process.execPath,
        ['--conditions=source', '--import', 'tsx', '--import', '@opsmesh/shared/register', spec.entry],
        { cwd: spec.dir, env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      instances.set(child, instance);
      children.add(child);
      child.once('exit', () => children.delete(child));
      const forward = (chunk: Buffer) => {
        for (const line of chunk.toString('utf8').split('\n')) {
          if (!line) continue;
          if (line.includes('EADDRINUSE')) portTaken.add(child);
          lines.push(`${service}#${index}: ${line}`);
          if (lines.length > 300) lines.shift();
        }
      };
      child.stdout?.on('data', forward);
      child.stderr?.on('data', forward);
      return child;
    };

    const timeoutMs = options.readyTimeoutMs ?? 180_000;
    const readyAt = (url: string, child: ChildProcess, what: string) =>
      waitReady(url, child, timeoutMs, what, instances.get(child)!, () => portTaken.has(child));
    const startTier = async (services: string[]) => {
      await Promise.all(
        services.flatMap((service) =>
          ports[service]!.map(async (port, index) => {
            const dataDir = mkdtempSync(join(tmpdir(), `opsmesh-scale-${service}-`));
            dataDirs.push(dataDir);
            let url = `http://127.0.0.1:${port}`;
            let child = launch(service, index, dataDir);
            // A port taken meanwhile by another process: a new one (a few times at most).
            for (let attempt = 1; ; attempt++) {
              try {
                await readyAt(url, child, `${service}#${index}`);
                break;
              } catch (err) {
                if (!(err instanceof PortTaken) || attempt >= 3) throw err;
                ports[service]![index] = await freePort();
                url = `http://127.0.0.1:${ports[service]![index]}`;
                child = launch(service, index, dataDir);
              }
            }
            replicas[service] ??= [];
            replicas[service][index] = {
              service,
              index,
              url,
              pid: () => child.pid,
              kill: (signal = 'SIGKILL') =>
                new Promise<void>((resolve) => {
                  if (child.exitCode !== null || child.signalCode !== null) return resolve();
                  child.once('exit', () => resolve());
                  child.kill(signal);
                }),
              restart: async () => {
                child = launch(service, index, dataDir);
                await readyAt(url, child, `${service}#${index} (restarted)`);
              },
            };
          }),
        ),
      );
    };
    // Auth first (the others fetch their service tokens from it), then the rest, then gateways.
    await startTier(['auth-service']);
    await startTier(['ml-service', 'monitoring-service', 'chatops-service']);
    await startTier(['gateway']);
  } catch (err) {
    const tail = lines.slice(-40).join('\n');
    await stop();
    throw new Error(`${(err as Error).message}\n${tail}`);
  }

  const discovery = etcdDiscovery({ url: etcd.url, cacheMs: 0 });
  return {
    etcd,
    replicas,
    gateways: replicas['gateway']!.map((r) => r.url),
    listed: (service) => discovery.resolve(service),
    output: () => lines.slice(-60).join('\n'),
    stop,
  };
}
