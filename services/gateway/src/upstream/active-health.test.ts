import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { probeOver, startActiveHealth } from './active-health.js';
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

describe('startActiveHealth on its timer', () => {
  it('spreads one probe per instance over the interval, and still takes a failing one out', async () => {
    const seen: { path: string; at: number }[] = [];
    const server = createServer((req, res) => {
      seen.push({ path: req.url!, at: performance.now() });
      res.statusCode = req.url!.startsWith('/i3/') ? 503 : 200;
      res.end('{}');
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const urls = Array.from({ length: 10 }, (_, i) => `${base}/i${i}`);
    const pool = new UpstreamPool({
      name: 'ml',
      balancer: 'round-robin',
      passive: { failures: 1, cooldownMs: 60_000 },
    });
    pool.setInstances(urls);
    const checker = startActiveHealth(pool, {
      path: '/health/ready',
      intervalMs: 1_000,
      timeoutMs: 500,
      failures: 2,
      phase: 0,
      resolve: () => urls,
    });
    try {
      await new Promise((r) => setTimeout(r, 2_300));
    } finally {
      checker.stop();
    }
    const first = seen.slice(0, 10);
    // Every instance once in the first pass, in order, spaced ~100 ms apart rather than at once.
    expect(first.map((s) => s.path)).toEqual(urls.map((_, i) => `/i${i}/health/ready`));
    expect(first[9]!.at - first[0]!.at).toBeGreaterThan(400);
    // Two passes at least, and the instance answering 503 twice in a row is out of rotation.
    expect(seen.filter((s) => s.path === '/i3/health/ready').length).toBeGreaterThanOrEqual(2);
    expect(pool.health().map((h) => h.available)).toEqual(urls.map((_, i) => i !== 3));
  });

  it('probes over a given keep-alive pool, reusing its connection', async () => {
    let connections = 0;
    const url = await serve(() => 200);
    const server = servers.at(-1)!;
    server.on('connection', () => connections++);
    const client = new Pool(url, { connections: 4 });
    try {
      for (let i = 0; i < 5; i++) expect(await probeOver(client, undefined, '/health/ready', 500)).toBe(true);
      // Kept alive: the pool may open a second socket as the first is released, never one a probe.
      expect(connections).toBeLessThanOrEqual(2);
      expect(await probeOver(client, undefined, '/health/ready', 500)).toBe(true);
    } finally {
      await client.close();
    }
    expect(await probeOver(client, undefined, '/health/ready', 500)).toBe(false);
  });
});
