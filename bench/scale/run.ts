// Scale-out benchmark: the same load (autocannon, fixed total connections and duration) through
// one gateway over one replica of every service, then through two gateways over two replicas
// each, in one run; prints requests/s of both and their ratio. Every process is started as
// `npm start` starts it, over etcd (discovery), PostgreSQL and Redis.
//
// The request is GET /api/auth/me: the gateway verifies the JWT, counts the consumer's rate limit
// in Redis and proxies; the auth service verifies the token again and reads the user from
// PostgreSQL. The gateway config is the shipped one with the per-consumer limit raised (the bench
// is one consumer), so the figure is throughput, not the limit.
//
//   npm run bench:scale            (BENCH_DURATION=10 s, BENCH_CONNECTIONS=32 by default)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonCaller, REPO_ROOT, SYSTEM_ADMIN } from '@opsmesh/shared/testing';
import autocannon, { type Result } from 'autocannon';
import { startReplicaCluster } from '../../test/helpers/replica-cluster.js';

const DURATION = Number(process.env['BENCH_DURATION'] ?? 10);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
const PATH = '/api/auth/me';

const work = mkdtempSync(join(tmpdir(), 'opsmesh-bench-scale-'));
const shipped = readFileSync(join(REPO_ROOT, 'services/gateway/config/gateway.yaml'), 'utf8');
const consumerLimit = '{ policy: redis, limit_by: consumer, second: 100, minute: 3000 }';
if (!shipped.includes(consumerLimit)) {
  throw new Error(`the shipped gateway.yaml no longer has "${consumerLimit}"; update bench/scale/run.ts`);
}
const gatewayConfig = join(work, 'gateway.yaml');
writeFileSync(
  gatewayConfig,
  shipped.replace(consumerLimit, '{ policy: redis, limit_by: consumer, second: 1000000, minute: 60000000 }'),
);

interface Figure {
  shape: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** Answers by status code, so a failing run says what failed. */
  statuses: Record<string, number>;
}

async function measure(replicas: number, gateways: number): Promise<Figure> {
  const cluster = await startReplicaCluster({
    replicas,
    gateways,
    envOf: {
      gateway: { REDIS_URL: 'redis://127.0.0.1:6379', GATEWAY_CONFIG: gatewayConfig },
      'monitoring-service': { SCRAPE_INTERVAL: '5s' },
      'ml-service': { ML_WORKERS: '1' },
    },
  });
  try {
    const login = await jsonCaller(cluster.gateways[0]!)('POST', '/api/auth/login', undefined, SYSTEM_ADMIN);
    if (login.status !== 200)
      throw new Error(`login answered ${login.status}: ${JSON.stringify(login.body)}`);
    const headers = { authorization: `Bearer ${login.body.access_token}` };
    // The connections are split over the gateways, as a load balancer in front of them would.
    const each = Math.max(1, Math.floor(CONNECTIONS / gateways));
    const run = (duration: number) =>
      Promise.all(
        cluster.gateways.map((g) => autocannon({ url: g + PATH, connections: each, duration, headers })),
      );
    await run(2);
    const results = await run(DURATION);
    return {
      shape: `${gateways} gateway${gateways > 1 ? 's' : ''} × ${replicas} replica${replicas > 1 ? 's' : ''} each`,
      rps: results.reduce((sum, r) => sum + r.requests.average, 0),
      p50: Math.max(...results.map((r) => r.latency.p50)),
      p99: Math.max(...results.map((r) => r.latency.p99)),
      non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
      errors: results.reduce((sum, r) => sum + r.errors, 0),
      statuses: statusCounts(results),
    };
  } finally {
    await cluster.stop();
  }
}

function statusCounts(results: Result[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results)
    for (const [code, { count }] of Object.entries(r.statusCodeStats ?? {}))
      out[code] = (out[code] ?? 0) + count;
  return out;
}

try {
  const one = await measure(1, 1);
  const two = await measure(2, 2);
  console.log(
    `\nscale-out bench: GET ${PATH}, autocannon, ${CONNECTIONS} connections in all, ${DURATION} s each ` +
      `(after 2 s warm-up), ${availableParallelism()} CPUs`,
  );
  console.table(
    [one, two].map((f) => ({
      shape: f.shape,
      'req/s': Math.round(f.rps),
      'p50 ms': f.p50,
      'p99 ms': f.p99,
      non2xx: f.non2xx,
      errors: f.errors,
    })),
  );
  console.log(`ratio (2 × 2) / (1 × 1): ${(two.rps / one.rps).toFixed(2)}×`);
  console.log(
    'Above 1 only with spare cores: on a machine with fewer cores than processes the second set of\n' +
      'processes shares the same CPUs, so the ratio shows the cost of the extra hops and processes.',
  );
  if (one.non2xx + two.non2xx + one.errors + two.errors > 0) {
    console.log(
      `answers by status: ${JSON.stringify({ [one.shape]: one.statuses, [two.shape]: two.statuses })}`,
    );
    process.exitCode = 1;
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
