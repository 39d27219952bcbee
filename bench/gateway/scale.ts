// In-process halves of the gateway's scale figures, measured on the gateway's own classes so a
// loaded machine moves them less than HTTP figures: route lookup with 10 and 10,000 routes,
// rate-limit counters for 10 and 100,000 keys (bytes per key and cost per hit), and one pick
// from 2 and 200 upstream instances.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseGatewayConfig } from '../../services/gateway/src/config/load-gateway-config.js';
import { LocalStore } from '../../services/gateway/src/rate-limit/local-store.js';
import type { WindowSpec } from '../../services/gateway/src/rate-limit/sliding-window.js';
import { RouteTable } from '../../services/gateway/src/router/route-table.js';
import { UpstreamPool } from '../../services/gateway/src/upstream/upstream-pool.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Nanoseconds per call of `fn(i)`, the best of several rounds (the least disturbed one). */
function nsPerOp(fn: (i: number) => unknown, ops: number, rounds = 7): number {
  let best = Number.POSITIVE_INFINITY;
  let sink = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < ops; i++) if (fn(i)) sink++;
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / ops);
  }
  if (sink < 0) console.log(sink);
  return best;
}

const METHODS = [undefined, '[GET]', '[POST]', '[GET, PUT]'];

/** Route i's prefix, two to four segments deep under one of 50 services' names; each distinct. */
function prefixOf(i: number): string[] {
  const svc = `svc${i % 50}`;
  if (i % 3 === 0) return [svc, `res${i}`];
  if (i % 3 === 1) return [svc, `v${i % 7}`, `res${i}`];
  return [svc, `v${i % 7}`, `res${i}`, 'items'];
}

/** `n` routes with distinct prefixes, a quarter of them with each method mix, as YAML lines of one service. */
export function fillerRoutes(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const methods = METHODS[i % 4];
    lines.push(`      - name: r${i}`, `        paths: [/${prefixOf(i).join('/')}]`);
    if (methods) lines.push(`        methods: ${methods}`);
  }
  return `${lines.join('\n')}\n`;
}

function routesConfig(n: number): string {
  return `format_version: "1"\nservices:\n  - name: bench\n    upstream: bench-upstream\n    routes:\n${fillerRoutes(n)}`;
}

function lookupNs(n: number): number {
  const table = RouteTable.build(parseGatewayConfig(routesConfig(n)), {
    local: new LocalStore(),
    redis: undefined,
  });
  // Paths under existing routes (some refused by method) and some under no route at all.
  const paths: string[] = [];
  for (let k = 0; k < 1024; k++) {
    const segs = prefixOf((k * 7919) % n);
    paths.push(k % 8 === 7 ? `/nothing/${k}` : `/${segs.join('/')}/x/${k}`);
  }
  const methods = ['GET', 'POST', 'PUT', 'GET'];
  return nsPerOp((i) => table.match(methods[i & 3]!, paths[i & 1023]!), 200_000);
}

const WINDOWS: WindowSpec[] = [
  { windowMs: 1000, limit: 1_000_000 },
  { windowMs: 60_000, limit: 60_000_000 },
];

function keyFigures(n: number): { bytesPerKey: number; ns: number } {
  // Keys as the limiter makes them (route, kind, address), made before measuring: the store's
  // structures are measured, and each key string is added as V8 lays it out (16 B + its bytes).
  const keys = Array.from(
    { length: n },
    (_, i) => `keyed:ip:10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
  );
  gc();
  const before = process.memoryUsage();
  const store = new LocalStore();
  for (const k of keys) store.hitSync(k, WINDOWS);
  gc();
  const after = process.memoryUsage();
  const strings = keys.reduce((sum, k) => sum + 16 + Math.ceil(k.length / 8) * 8, 0);
  const structures = after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers;
  const bytesPerKey = store.size === n ? (structures + strings) / n : Number.NaN;
  const ns = nsPerOp((i) => store.hitSync(keys[i % n]!, WINDOWS).allowed, 200_000);
  void store.close();
  return { bytesPerKey, ns };
}

function pickNs(n: number, balancer: 'round-robin' | 'least-outstanding'): number {
  const pool = new UpstreamPool({ name: 'b', balancer, passive: { failures: 3, cooldownMs: 1000 } });
  pool.setInstances(Array.from({ length: n }, (_, i) => `http://127.0.0.1:${10_000 + i}`));
  return nsPerOp(() => {
    const instance = pool.pick()!;
    pool.start(instance);
    pool.succeed(instance);
    return instance;
  }, 500_000);
}

export function scaleFigures(): string[] {
  const out: string[] = [];
  const [r10, r10k] = [lookupNs(10), lookupNs(10_000)];
  out.push(
    `route lookup: 10 routes ${r10.toFixed(0)} ns, 10,000 routes ${r10k.toFixed(0)} ns per request; 10k/10 ${(r10k / r10).toFixed(2)}x (target <= 1.05)`,
  );
  const [k10, k100k] = [keyFigures(10), keyFigures(100_000)];
  out.push(
    `rate-limit keys (2 windows): ${k100k.bytesPerKey.toFixed(0)} B per key at 100,000 keys (target < 200); hit ${k10.ns.toFixed(0)} ns at 10 keys, ${k100k.ns.toFixed(0)} ns at 100,000: ${(k100k.ns / k10.ns).toFixed(2)}x`,
  );
  for (const b of ['round-robin', 'least-outstanding'] as const) {
    const [p2, p200] = [pickNs(2, b), pickNs(200, b)];
    out.push(
      `balancing (${b}): 2 instances ${p2.toFixed(0)} ns, 200 instances ${p200.toFixed(0)} ns per pick; 200/2 ${(p200 / p2).toFixed(2)}x (target <= 1.05)`,
    );
  }
  return out;
}
