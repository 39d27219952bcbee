import { type ChildProcess, spawn } from 'node:child_process';
import { promises as dnsPromises } from 'node:dns';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary, stopProcess } from './processes.js';

/** Whether a binary from a Debian package is on PATH. */
export function hasBinary(name: string): boolean {
  return findBinary(name) !== undefined;
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

/** A free loopback port, chosen by the OS (bound, then released for the caller to use). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Stops a server started for a test and removes its working directory. */
async function stopAndRemove(child: ChildProcess, dir: string): Promise<void> {
  await stopProcess(child);
  rmSync(dir, { recursive: true, force: true });
}

export interface RunningServer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** A throwaway etcd on loopback ports with its own data directory, stopped and removed after. */
export async function startEtcd(): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'opsmesh-etcd-'));
  const client = await freePort();
  const peer = await freePort();
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
  const stop = () => stopAndRemove(child, dir);
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

export interface RunningDns {
  /** `127.0.0.1:<port>`, for a resolver's setServers(). */
  server: string;
  /** Replaces the published address records (`{ host: [ip, ...] }`) and reloads them. */
  setHosts(hosts: Record<string, readonly string[]>): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A throwaway dnsmasq on a loopback UDP port answering only for the names it is given: address
 * records from a hosts file (reloaded on SIGHUP) and SRV records as `name,target,port`.
 */
export async function startDnsmasq(options: {
  hosts: Record<string, readonly string[]>;
  srv?: ReadonlyArray<readonly [name: string, target: string, port: number]>;
}): Promise<RunningDns> {
  const dir = mkdtempSync(join(tmpdir(), 'opsmesh-dns-'));
  const hostsFile = join(dir, 'hosts');
  const write = (hosts: Record<string, readonly string[]>) =>
    writeFileSync(
      hostsFile,
      Object.entries(hosts)
        .flatMap(([name, ips]) => ips.map((ip) => `${ip} ${name}\n`))
        .join(''),
    );
  write(options.hosts);
  const port = await freePort();
  const child = spawn(
    'dnsmasq',
    [
      '--keep-in-foreground',
      `--port=${port}`,
      '--listen-address=127.0.0.1',
      '--bind-interfaces',
      '--no-resolv',
      '--no-hosts',
      `--addn-hosts=${hostsFile}`,
      '--pid-file=',
      '--cache-size=0',
      // Runs as the invoking user rather than switching to an account that may not exist.
      `--user=${process.getuid?.() === 0 ? 'root' : (process.env['USER'] ?? 'nobody')}`,
      ...(options.srv ?? []).map(([name, target, p]) => `--srv-host=${name},${target},${p}`),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let errors = '';
  child.stderr?.on('data', (c: Buffer) => {
    errors += c.toString();
  });
  const stop = () => stopAndRemove(child, dir);
  const resolver = new dnsPromises.Resolver({ timeout: 500, tries: 1 });
  resolver.setServers([`127.0.0.1:${port}`]);
  const probe = Object.keys(options.hosts)[0];
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const ok = probe
      ? await resolver.resolve4(probe).then(
          () => true,
          () => false,
        )
      : true;
    if (ok) {
      return {
        server: `127.0.0.1:${port}`,
        async setHosts(hosts) {
          write(hosts);
          child.kill('SIGHUP');
          const first = Object.keys(hosts)[0];
          const want = first ? [...(hosts[first] ?? [])].sort().join() : '';
          // SIGHUP is handled asynchronously: wait until the new records are served.
          const until = Date.now() + 5000;
          while (first && Date.now() < until) {
            const got = await resolver.resolve4(first).then(
              (a) => a.sort().join(),
              () => '',
            );
            if (got === want) return;
            await new Promise((r) => setTimeout(r, 50));
          }
        },
        stop,
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`dnsmasq did not answer within 10 s: ${errors.trim()}`);
}
