// undici alone, no gateway: CPU per request of this process when 32 requests in flight go round
// robin over 2 instances' keep-alive pools, over 200, and over 200 pools capped at one socket
// each. It tells the cost of spreading over many instances that belongs to the HTTP client from
// the gateway's own. Alternating rounds, one line per setting (µs per request / requests /
// new connections in the round). Run: node --import tsx bench/gateway/spread.ts
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

const here = dirname(fileURLToPath(import.meta.url));
const ROUND_MS = Number(process.env['BENCH_ROUND_MS'] ?? 2000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const up = spawn(process.execPath, ['--import', 'tsx', join(here, 'upstream.ts')], {
  env: { ...process.env, PORTS: '200' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const urls: string[] = await new Promise((r) =>
  up.stdout!.once('data', (c: Buffer) => r(c.toString().trim().split(','))),
);
let connects = 0;
const pools = (n: number, connections: number) =>
  urls.slice(0, n).map((u) => {
    const p = new Pool(u, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
    p.on('connect', () => connects++);
    return p;
  });
const settings: [string, Pool[]][] = [
  ['2 instances', pools(2, 128)],
  ['200 instances', pools(200, 128)],
  ['200 instances, 1 socket each', pools(200, 1)],
  // What a gateway with UPSTREAM_SUBSET_SIZE set spreads over instead of 200.
  ...(process.env['BENCH_SUBSETS'] ?? '8,16,32')
    .split(',')
    .filter(Boolean)
    .map((k): [string, Pool[]] => [`subset of ${k}`, pools(Number(k), 128)]),
];

async function round(list: Pool[]): Promise<string> {
  let next = 0;
  let n = 0;
  const end = performance.now() + ROUND_MS;
  const t0 = process.cpuUsage();
  const c0 = connects;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (performance.now() < end) {
        const { body } = await list[next++ % list.length]!.request({ path: '/', method: 'GET' });
        await body.dump();
        n++;
      }
    }),
  );
  const t = process.cpuUsage(t0);
  return `${((t.user + t.system) / n).toFixed(1)}/${n}/${connects - c0}`;
}

try {
  for (const [, list] of settings) await round(list); // warm-up: sockets open, code compiled
  const out = settings.map((): string[] => []);
  for (let r = 0; r < ROUNDS; r++) {
    const order = settings.map((_, i) => i);
    if (r % 2) order.reverse();
    for (const i of order) out[i]!.push(await round(settings[i]![1]));
  }
  for (const [i, [name]] of settings.entries()) console.log(`${name.padEnd(30)} ${out[i]!.join('  ')}`);
} finally {
  up.kill();
  await Promise.all(settings.flatMap(([, list]) => list.map((p) => p.close())));
}
