import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startActiveHealth } from './active-health.js';
import { UpstreamPool } from './upstream-pool.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(status: () => number): Promise<string> {
  const server = createServer((_req, res) => {
    res.statusCode = status();
    res.end('{}');
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('startActiveHealth', () => {
  it('takes an instance out when /health/ready fails and back when it recovers', async () => {
    let ready = 503;
    const flaky = await serve(() => ready);
    const good = await serve(() => 200);
    const pool = new UpstreamPool({
      name: 'ml',
      balancer: 'round-robin',
      passive: { failures: 1, cooldownMs: 60_000 },
    });
    const changes: string[] = [];
    const checker = startActiveHealth(pool, {
      path: '/health/ready',
      intervalMs: 60_000,
      timeoutMs: 500,
      resolve: () => [flaky, good, 'http://127.0.0.1:1'],
      onChange: (url, healthy) =>
        changes.push(`${url === flaky ? 'flaky' : url === good ? 'good' : 'dead'}:${healthy}`),
    });
    try {
      await checker.round();
      expect(pool.health().map((h) => h.available)).toEqual([false, true, false]);
      ready = 200;
      // A passive ejection is lifted too when the probe says the instance is back.
      pool.instances[0]!.ejectedUntil = Date.now() + 60_000;
      await checker.round();
      expect(pool.health().map((h) => h.available)).toEqual([true, true, false]);
      expect(changes.sort()).toEqual(['dead:false', 'flaky:false', 'flaky:true']);
    } finally {
      checker.stop();
    }
  });
});

describe('startActiveHealth thresholds', () => {
  it('needs N consecutive failed probes to take an instance out', async () => {
    let ready = 200;
    const url = await serve(() => ready);
    const pool = new UpstreamPool({
      name: 'ml',
      balancer: 'round-robin',
      passive: { failures: 1, cooldownMs: 60_000 },
    });
    pool.setInstances([url]);
    const checker = startActiveHealth(pool, {
      path: '/health/ready',
      intervalMs: 60_000,
      timeoutMs: 500,
      failures: 2,
    });
    try {
      ready = 503;
      await checker.round();
      expect(pool.health()[0]!.available).toBe(true);
      await checker.round();
      expect(pool.health()[0]!.available).toBe(false);
      ready = 200;
      await checker.round();
      expect(pool.health()[0]!.available).toBe(true);
    } finally {
      checker.stop();
    }
  });
});
