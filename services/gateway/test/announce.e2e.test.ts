// The gateway process announces itself in etcd like every service (so the monitoring service
// scrapes each gateway replica), and leaves discovery at once when it stops.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { etcdDiscovery } from '@opsmesh/shared';
import {
  eventually,
  freePort,
  type RunningServer,
  skipUnlessBinary,
  startEtcd,
} from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnGateway } from './helpers.js';
import { testConfig } from './test-config.js';

const skip = skipUnlessBinary('etcd', 'etcd-server');

describe.skipIf(skip)('the gateway in etcd discovery', () => {
  let etcd: RunningServer;
  let dir: string;
  const gateways: ChildProcess[] = [];

  beforeAll(async () => {
    etcd = await startEtcd();
    dir = mkdtempSync(join(tmpdir(), 'gw-announce-'));
    writeFileSync(join(dir, 'gateway.yaml'), testConfig());
  }, 30_000);

  afterAll(async () => {
    for (const g of gateways) if (g.exitCode === null && g.signalCode === null) g.kill('SIGKILL');
    await etcd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function startGateway(
    env: Record<string, string> = {},
  ): Promise<{ url: string; child: ChildProcess }> {
    const port = await freePort();
    const child = spawnGateway(
      port,
      join(dir, 'gateway.yaml'),
      { ETCD_URL: etcd.url, LOG_LEVEL: 'warn', ...env },
      'ignore',
    );
    gateways.push(child);
    return { url: `http://127.0.0.1:${port}`, child };
  }

  it('lists each gateway replica while it runs and drops it on SIGTERM', async () => {
    const discovery = etcdDiscovery({ url: etcd.url, cacheMs: 0 });
    // A lease far longer than the test: only the revocation on SIGTERM can take `a` out in time.
    const [a, b] = await Promise.all([startGateway({ DISCOVERY_TTL_SECONDS: '600' }), startGateway()]);
    const both = [a.url, b.url].sort();
    const listed = await eventually(
      () => discovery.resolve('gateway'),
      (urls) => urls.join() === both.join(),
      30_000,
    );
    expect(listed.value).toEqual(both);

    const exited = new Promise<number | null>((r) => a.child.once('exit', (code) => r(code)));
    a.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // The lease is revoked before the process exits: no wait for its TTL.
    expect(await discovery.resolve('gateway')).toEqual([b.url]);
  }, 60_000);

  it('drops a replica killed without stopping once its DISCOVERY_TTL_SECONDS lease lapses', async () => {
    const discovery = etcdDiscovery({ url: etcd.url, cacheMs: 0 });
    const before = await discovery.resolve('gateway');
    const killed = await startGateway({ DISCOVERY_TTL_SECONDS: '2' });
    await eventually(
      () => discovery.resolve('gateway'),
      (urls) => urls.includes(killed.url),
      30_000,
    );
    const exited = new Promise((r) => killed.child.once('exit', r));
    killed.child.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();
    const gone = await eventually(
      () => discovery.resolve('gateway'),
      (urls) => !urls.includes(killed.url),
      10_000,
    );
    expect(gone.value.sort()).toEqual(before.sort());
    // At most the 2 s TTL (the last keep-alive may have renewed it just before the kill) and
    // etcd's expiry sweep; the default 10 s lease would still list it.
    expect(Date.now() - killedAt).toBeLessThan(4000);
  }, 60_000);

  it('refuses to start with a DISCOVERY_TTL_SECONDS it cannot keep alive, naming it', async () => {
    const port = await freePort();
    const child = spawnGateway(
      port,
      join(dir, 'gateway.yaml'),
      { ETCD_URL: etcd.url, DISCOVERY_TTL_SECONDS: '1' },
      'pipe',
    );
    gateways.push(child);
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(stderr).toMatch(/DISCOVERY_TTL_SECONDS: got 1, expected whole seconds from 2 to 3600/);
  }, 30_000);
});
