// Gateway benchmark: the same load (autocannon, fixed connections and duration) against the
// upstream directly, nginx as a plain keep-alive reverse proxy, the gateway with no plugins
// and the gateway with jwt + rate-limit, every one sent the same request (a user's bearer token
// included). Prints req/s, p50 and p99 of each and the ratios.
// A "floor" target (floor.ts) is node:http and undici passing requests through with no gateway
// logic: what Node's stack alone costs, so the figures show how much of the gap to nginx is the
// gateway's and how much is the runtime's.
// A second block measures tracing: the same gateway route with the OpenTelemetry SDK off,
// sampling 10% and sampling 100% (exporting to a sink), and prints the cost of each against off.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestIdentity, freePort } from '@opsmesh/shared/testing';
import autocannon from 'autocannon';
import { fillerRoutes, scaleFigures } from './scale.js';

const here = dirname(fileURLToPath(import.meta.url));
const gatewayDir = join(here, '../../services/gateway');
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
const DURATION = Number(process.env['BENCH_DURATION'] ?? 5);
/** `UPSTREAM_SUBSET_SIZE` of the gateway that measures 200 instances with subsetting on. */
const SUBSET = Number(process.env['BENCH_SUBSET_SIZE'] ?? 16);
const children: ChildProcess[] = [];
const work = mkdtempSync(join(tmpdir(), 'opsmesh-bench-gw-'));

function start(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): ChildProcess {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  child.stderr?.on('data', (c: Buffer) => process.stderr.write(c));
  return child;
}

async function waitFor(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

interface Result {
  name: string;
  rps: number;
  /** Bytes per second of answers. */
  bytes: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** CPU time (user + system) the measured process spent per answered request, in µs. */
  cpuUs?: number;
  /** The same for the process's main (JavaScript) thread alone. */
  mainCpuUs?: number;
}

/** The url's origin → pid of the gateway process serving it, for CPU time per request. */
const pids = new Map<string, number>();

/** Stops the gateway listening at `url` and waits (up to 10 s) until its process is gone. */
async function stopGateway(url: string): Promise<void> {
  const pid = pids.get(new URL(url).origin);
  if (!pid) return;
  pids.delete(new URL(url).origin);
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  process.kill(pid, 'SIGKILL');
}
const TICK_US = 1e6 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim() || 100);

/**
 * User + system CPU time so far, in µs, of a whole process (`/proc/<pid>/stat`) or of its main
 * thread alone (`/proc/<pid>/task/<pid>/stat`): the figures HTTP noise does not move. V8's
 * collector threads make the whole-process figure swing by ±15 µs/req between runs on a loaded
 * machine; the main thread's is the steadier one.
 */
function cpuTimeUs(pid: number, mainThread = false): number {
  const stat = readFileSync(mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_US;
}

async function measure(
  name: string,
  url: string,
  headers: Record<string, string> = {},
  vary?: (i: number) => Record<string, string>,
): Promise<Result> {
  let n = 0;
  // `vary` sets per-request headers (a different client address each time, say).
  const requests = vary
    ? [
        {
          setupRequest: (req: { headers?: Record<string, string> }) => {
            req.headers = { ...headers, ...vary(n++) };
            return req;
          },
        },
      ]
    : undefined;
  const options = { url, connections: CONNECTIONS, headers, ...(requests ? { requests } : {}) };
  // A short warm-up so JIT, pools and caches are in their steady state before measuring.
  await autocannon({ ...options, duration: 1 });
  const pid = pids.get(new URL(url).origin);
  const before = pid ? [cpuTimeUs(pid), cpuTimeUs(pid, true)] : [0, 0];
  const r = await autocannon({ ...options, duration: DURATION });
  const perRequest = (us: number) => us / Math.max(1, r.requests.total);
  return {
    ...(pid
      ? {
          cpuUs: perRequest(cpuTimeUs(pid) - before[0]!),
          mainCpuUs: perRequest(cpuTimeUs(pid, true) - before[1]!),
        }
      : {}),
    name,
    rps: r.requests.average,
    bytes: r.throughput.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

/** Node flags of the measured processes: GATEWAY_NODE_ARGS, and the allocation probe for BENCH_ONLY=alloc. */
function nodeArgs(): string[] {
  const args = process.env['GATEWAY_NODE_ARGS']?.split(' ').filter(Boolean) ?? [];
  if (process.env['BENCH_ONLY'] === 'alloc') {
    process.env['ALLOC_PROBE_DIR'] = work;
    args.push('--import', join(here, 'alloc-probe.mjs'));
  }
  return args;
}

async function expectOk(url: string, headers: Record<string, string>): Promise<void> {
  const res = await fetch(url, { headers });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}, not 200: ${body}`);
}

function nginxConf(port: number, upstream: string): string {
  return `worker_processes 1;
pid ${work}/nginx.pid;
error_log ${work}/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${work}/body;
  proxy_temp_path ${work}/proxy;
  fastcgi_temp_path ${work}/fastcgi;
  uwsgi_temp_path ${work}/uwsgi;
  scgi_temp_path ${work}/scgi;
  upstream bench { server ${upstream}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://bench;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
    }
  }
}
`;
}

function gatewayConf(upstreamName: string, filler = 0): string {
  return `format_version: "1"
services:
  - name: two
    upstream: bench-two
    balancer: round-robin
    routes:
      - name: two
        paths: [/two]
        strip_path: true
  - name: many
    upstream: bench-many
    balancer: round-robin
    routes:
      - name: many
        paths: [/many]
        strip_path: true
  - name: bench
    upstream: ${upstreamName}
    balancer: round-robin
    healthchecks:
      active: { interval_ms: 5000 }
    routes:
      - name: plain
        paths: [/plain]
        strip_path: true
      - name: secured
        paths: [/secured]
        strip_path: true
        plugins:
          - name: jwt
          - name: rate-limit
            config: { policy: local, limit_by: consumer, second: 1000000, minute: 60000000 }
      - name: secured-redis
        paths: [/secured-redis]
        strip_path: true
        plugins:
          - name: jwt
          - name: rate-limit
            config: { policy: redis, limit_by: consumer, second: 1000000, minute: 60000000 }
      - name: keyed
        paths: [/keyed]
        strip_path: true
        plugins:
          - name: rate-limit
            config: { policy: local, limit_by: ip, second: 1000000, minute: 60000000 }
${fillerRoutes(filler)}`;
}

async function main(): Promise<void> {
  const identity = await createTestIdentity();
  try {
    const up = start(process.execPath, ['--import', 'tsx', join(here, 'upstream.ts')], {}, here);
    const upstreamUrl: string = await new Promise((resolve) =>
      up.stdout!.once('data', (c: Buffer) => resolve(c.toString().trim())),
    );
    const upstreamHost = new URL(upstreamUrl).host;

    const nginxPort = await freePort();
    writeFileSync(join(work, 'nginx.conf'), nginxConf(nginxPort, upstreamHost));
    let nginx: string | undefined;
    try {
      nginx = execFileSync('sh', ['-c', 'command -v nginx || ls /usr/sbin/nginx'], {
        encoding: 'utf8',
      }).trim();
    } catch {
      nginx = undefined;
    }
    if (nginx) start(nginx, ['-p', work, '-c', join(work, 'nginx.conf'), '-g', 'daemon off;'], {});
    const startFloor = async (client: 'undici' | 'http'): Promise<string> => {
      const child = start(
        process.execPath,
        [...nodeArgs(), '--import', 'tsx', join(here, 'floor.ts')],
        { UPSTREAM_URL: upstreamUrl, NODE_ENV: 'production', FLOOR_CLIENT: client },
        here,
      );
      const url: string = await new Promise((resolve) =>
        child.stdout!.once('data', (c: Buffer) => resolve(c.toString().trim())),
      );
      if (child.pid) pids.set(url, child.pid);
      return url;
    };
    const floor = await startFloor('undici');
    const floorHttp = await startFloor('http');

    // 200 more listening ports on one upstream process: 200 instances as far as balancing goes.
    const many = start(
      process.execPath,
      ['--import', 'tsx', join(here, 'upstream.ts')],
      { PORTS: '200' },
      here,
    );
    const manyUrls: string[] = await new Promise((resolve) =>
      many.stdout!.once('data', (c: Buffer) => resolve(c.toString().trim().split(','))),
    );
    writeFileSync(join(work, 'gateway.yaml'), gatewayConf('bench-upstream'));
    writeFileSync(join(work, 'gateway-10k.yaml'), gatewayConf('bench-upstream', 10_000));
    /** A gateway process; `tracing` adds the SDK preload and its environment. */
    const startGateway = async (
      tracing?: NodeJS.ProcessEnv,
      config = 'gateway.yaml',
      env: NodeJS.ProcessEnv = {},
      dir = gatewayDir,
    ): Promise<string> => {
      const port = await freePort();
      const child = start(
        process.execPath,
        // GATEWAY_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the gateway under the load.
        [
          ...nodeArgs(),
          '--conditions=source',
          '--import',
          'tsx',
          ...(tracing ? ['--import', '@opsmesh/shared/register'] : []),
          'src/main.ts',
        ],
        {
          PORT: String(port),
          HOST: '127.0.0.1',
          GATEWAY_CONFIG: join(work, config),
          // The gateway reads the JWKS from the auth service it finds through discovery.
          OPSMESH_SERVICES: [
            `bench-upstream=${upstreamUrl}`,
            `auth-service=${new URL(identity.jwksUrl).origin}`,
            `bench-two=${manyUrls.slice(0, 2).join(';')}`,
            `bench-many=${manyUrls.join(';')}`,
          ].join(','),
          AUTH_URL: new URL(identity.jwksUrl).origin,
          JWT_ISSUER: identity.issuer,
          JWT_AUDIENCE: identity.audience,
          REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
          // Access logs off here as they are for nginx: both measure proxying, not logging.
          LOG_LEVEL: 'warn',
          NODE_ENV: 'production',
          ...tracing,
          ...env,
        },
        dir,
      );
      const url = `http://127.0.0.1:${port}`;
      if (child.pid) pids.set(url, child.pid);
      await waitFor(`${url}/health/live`);
      return url;
    };
    const gateway = await startGateway();
    await waitFor(`${upstreamUrl}/`);
    if (nginx) await waitFor(`http://127.0.0.1:${nginxPort}/`);

    const token = await identity.token({ roles: ['viewer'], sub: 'usr_bench' });
    // Every target of the hot-path figures gets this same request, the caller's token included,
    // whether the route checks it or not: a service verifies the token itself, so the gateway
    // forwards Authorization on every route, and nginx and the floor pass it on as well. Sent
    // to the jwt route alone (as it was), the no-plugin route and nginx were spared parsing
    // and forwarding its ~700 bytes, and the plugin cost counted that work as the plugins'.
    const auth = { authorization: `Bearer ${token}` };
    // A target answering errors would measure how fast the gateway refuses, not how it proxies.
    for (const path of ['/plain/', '/secured/', '/secured-redis/']) await expectOk(`${gateway}${path}`, auth);
    // Every Node target under load once before any is measured: the code the gateway's routes
    // share is compiled by then, so the first route measured (no plugins) does not pay for the
    // JIT alone. Under load from other work its 1 s warm-up was not enough, and the plugin cost
    // came out negative in run after run.
    for (const [url, headers] of [
      [`${floor}/`, auth],
      [`${floorHttp}/`, auth],
      [`${gateway}/plain/`, auth],
      [`${gateway}/secured/`, auth],
      [`${gateway}/secured-redis/`, auth],
      [`${gateway}/two/`, {}],
      [`${gateway}/many/`, {}],
    ] as const) {
      await autocannon({ url, connections: CONNECTIONS, headers, duration: 2 });
    }
    // BENCH_ONLY=tracing measures only the tracing block (with BENCH_ROUNDS interleaved rounds).
    if (process.env['BENCH_ONLY'] === 'tracing') {
      await tracingBlock(startGateway, auth);
      return;
    }
    // BENCH_ONLY=instances measures only the 2 and 200 instance routes, on this checkout's
    // gateway and, with BENCH_AB_DIR, the other checkout's in the same rotating rounds.
    if (process.env['BENCH_ONLY'] === 'instances') {
      const abDir = process.env['BENCH_AB_DIR'];
      const other = abDir
        ? await startGateway(undefined, 'gateway.yaml', {}, join(abDir, 'services/gateway'))
        : undefined;
      const subset = await startGateway(undefined, 'gateway.yaml', { UPSTREAM_SUBSET_SIZE: String(SUBSET) });
      const gateways = other ? [gateway, other, subset] : [gateway, subset];
      for (const url of gateways) {
        for (const path of ['/two/', '/many/'])
          await autocannon({ url: url + path, connections: CONNECTIONS, duration: 2 });
      }
      console.log(`\n2 and 200 instances, ${CONNECTIONS} connections, ${DURATION} s each:`);
      await instancePair(gateways, other ? ['A ', 'B ', `A subset ${SUBSET} `] : ['', `subset ${SUBSET} `]);
      return;
    }
    // BENCH_ONLY=alloc samples what each request allocates: the floor, this checkout's gateway
    // and, with BENCH_AB_DIR, the other checkout's, each in its own process under the same load.
    if (process.env['BENCH_ONLY'] === 'alloc') {
      await allocBlock(startGateway, floor, gateway, auth);
      return;
    }
    // BENCH_ONLY=ab runs only the rotating rounds of the no-plugin and jwt + rate-limit routes:
    // the plugin cost from rounds that interleave both, and with BENCH_AB_DIR that checkout's too.
    if (process.env['BENCH_ONLY'] === 'ab') {
      const abDir = process.env['BENCH_AB_DIR'];
      const other = abDir
        ? await startGateway(undefined, 'gateway.yaml', {}, join(abDir, 'services/gateway'))
        : undefined;
      await abBlock(gateway, other, abDir, auth);
      return;
    }
    const targets: [string, string, Record<string, string>][] = [
      ['direct', `${upstreamUrl}/`, auth],
      ...(nginx
        ? [['nginx', `http://127.0.0.1:${nginxPort}/`, auth] as [string, string, Record<string, string>]]
        : []),
      ['floor (node:http + undici only)', `${floor}/`, auth],
      ['floor, node:http Agent upstream', `${floorHttp}/`, auth],
      ['gateway (no plugins)', `${gateway}/plain/`, auth],
      ['gateway (jwt + rate-limit local)', `${gateway}/secured/`, auth],
      ['gateway (jwt + rate-limit redis)', `${gateway}/secured-redis/`, auth],
    ];
    // BENCH_ROUNDS=n measures every target n times, round after round, and keeps the median of
    // each figure: on a machine whose load moves, one pass puts whatever happened during a
    // target's 5 s on that target alone.
    const rounds = Math.max(1, Number(process.env['BENCH_ROUNDS'] ?? 1));
    const samples = targets.map((): Result[] => []);
    for (let r = 0; r < rounds; r++) {
      for (const [i, [name, url, headers]] of targets.entries())
        samples[i]!.push(await measure(name, url, headers));
    }
    const results: Result[] = samples.map(medianResult);

    console.log(
      `\ngateway bench: autocannon, ${CONNECTIONS} connections, ${DURATION} s each (after 1 s warm-up)${rounds > 1 ? `, median of ${rounds} rounds` : ''}`,
    );
    for (const r of results) console.log(line(r));
    const by = (n: string) => results.find((r) => r.name === n);
    const nginxR = by('nginx');
    const plain = by('gateway (no plugins)')!;
    const secured = by('gateway (jwt + rate-limit local)')!;
    const securedRedis = by('gateway (jwt + rate-limit redis)')!;
    const floorR = by('floor (node:http + undici only)')!;
    if (nginxR) {
      console.log(
        `ratio gateway jwt+rate-limit / nginx: req/s ${(secured.rps / nginxR.rps).toFixed(2)}x (target >= 0.75), p99 ${(secured.p99 / Math.max(1, nginxR.p99)).toFixed(2)}x (target <= 1)`,
      );
      console.log(`ratio gateway no plugins / nginx: req/s ${(plain.rps / nginxR.rps).toFixed(2)}x`);
      console.log(
        `ratio floor (node:http + undici, no gateway logic) / nginx: req/s ${(floorR.rps / nginxR.rps).toFixed(2)}x: the most one Node process on this stack reaches`,
      );
    } else {
      console.log(
        'nginx not found: install the Debian package (apt-get install -y nginx) for the nginx baseline',
      );
    }
    console.log(
      `plugin cost (jwt + rate-limit local): ${((1 - secured.rps / plain.rps) * 100).toFixed(1)}% of no-plugin req/s (target <= 10%); redis policy: ${((1 - securedRedis.rps / plain.rps) * 100).toFixed(1)}% (target <= 20%)`,
    );
    console.log(
      `plugin cost in gateway CPU per request: local ${cpuCost(secured, plain)}, redis ${cpuCost(securedRedis, plain)} (steadier than req/s on a shared machine)`,
    );
    console.log(
      `gateway over the floor: no plugins ${(plain.rps / floorR.rps).toFixed(2)}x req/s, +${overFloor(plain, floorR)}; jwt + rate-limit local ${(secured.rps / floorR.rps).toFixed(2)}x, +${overFloor(secured, floorR)}`,
    );
    const abDir = process.env['BENCH_AB_DIR'];
    if (abDir) {
      const other = await startGateway(undefined, 'gateway.yaml', {}, join(abDir, 'services/gateway'));
      await abBlock(gateway, other, abDir, auth);
    }
    // BENCH_SCALE=0 skips the scale block (a quick look at the hot path and tracing only).
    if (process.env['BENCH_SCALE'] !== '0') {
      await scaleBlock(results, gateway, nginx ? `http://127.0.0.1:${nginxPort}` : undefined, (c, env) =>
        startGateway(undefined, c, env),
      );
      console.log("\nscale, in process (the gateway's own route table, counters and pool):");
      for (const line of scaleFigures()) console.log(line);
    }
    if (process.env['BENCH_TRACING'] !== '0') await tracingBlock(startGateway, auth);
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await identity.close();
    await new Promise((r) => setTimeout(r, 300));
    rmSync(work, { recursive: true, force: true });
  }
}

/** How much more CPU per request `r` took than `base`, whole process and main thread, in percent. */
function cpuCost(r: Result, base: Result): string {
  if (r.cpuUs === undefined || base.cpuUs === undefined) return 'n/a';
  const pct = (a: number, b: number) => `${((a / b - 1) * 100).toFixed(1)}%`;
  return `${pct(r.cpuUs, base.cpuUs)} (main thread ${pct(r.mainCpuUs!, base.mainCpuUs!)})`;
}

/** Each figure's median over several measurements of one target. */
function medianResult(rs: Result[]): Result {
  const median = (f: (r: Result) => number | undefined): number => {
    const xs = rs
      .map(f)
      .filter((x): x is number => x !== undefined)
      .sort((a, b) => a - b);
    return xs[Math.floor(xs.length / 2)] ?? Number.NaN;
  };
  const first = rs[0]!;
  return {
    name: first.name,
    rps: median((r) => r.rps),
    bytes: median((r) => r.bytes),
    p50: median((r) => r.p50),
    p99: median((r) => r.p99),
    non2xx: rs.reduce((n, r) => n + r.non2xx, 0),
    errors: rs.reduce((n, r) => n + r.errors, 0),
    ...(first.cpuUs === undefined
      ? {}
      : { cpuUs: median((r) => r.cpuUs), mainCpuUs: median((r) => r.mainCpuUs) }),
  };
}

/** The main-thread CPU per request `r` spent beyond the floor's: the gateway's own work, in µs. */
function overFloor(r: Result, floor: Result): string {
  if (r.mainCpuUs === undefined || floor.mainCpuUs === undefined) return 'n/a';
  return `${(r.mainCpuUs - floor.mainCpuUs).toFixed(1)} µs main-thread CPU/req`;
}

function line(r: Result, unit: 'req' | 'bytes' = 'req'): string {
  const bad = r.non2xx + r.errors > 0 ? `  (non-2xx ${r.non2xx}, errors ${r.errors})` : '';
  const figure =
    unit === 'req'
      ? `${r.rps.toFixed(0).padStart(7)} req/s`
      : `${(r.bytes / 2 ** 20).toFixed(0).padStart(5)} MiB/s`;
  const cpu =
    r.cpuUs !== undefined
      ? `  cpu ${r.cpuUs.toFixed(1).padStart(5)} µs/req (main thread ${r.mainCpuUs!.toFixed(1)})`
      : '';
  return `${r.name.padEnd(34)} ${figure}  p50 ${String(r.p50).padStart(3)} ms  p99 ${String(r.p99).padStart(3)} ms${cpu}${bad}`;
}

/**
 * This checkout's gateway (A) on the no-plugin and the jwt + rate-limit routes, and with
 * `BENCH_AB_DIR` another checkout's (B, built the same way) beside it, in `BENCH_ROUNDS`
 * rounds; each round measures every gateway and route once, in an order that rotates, and the
 * medians are printed. The plugin cost (jwt + rate-limit over no plugins) is then taken from
 * measurements made minutes apart at most one round, not one block of rounds after another:
 * on a machine whose load moves, a block measured after the other put the move on the plugins.
 */
async function abBlock(
  gateway: string,
  other: string | undefined,
  otherDir: string | undefined,
  auth: Record<string, string>,
): Promise<void> {
  const count = Number(process.env['BENCH_ROUNDS'] ?? 5);
  // BENCH_AB_ROUTES=secured measures only the jwt + rate-limit pair (plain: only no plugins).
  const only = process.env['BENCH_AB_ROUTES']?.split(',').filter(Boolean);
  const routes = (
    [
      ['no plugins', '/plain/'],
      ['jwt + rate-limit local', '/secured/'],
    ] as const
  ).filter(([, path]) => !only || only.includes(path.slice(1, -1)));
  const gateways = other
    ? ([
        ['A', gateway],
        ['B', other],
      ] as const)
    : ([['A', gateway]] as const);
  const runs = routes.flatMap(([label, path]) =>
    gateways.map(([side, url]) => ({ side, label, path, url: `${url}${path}`, results: [] as Result[] })),
  );
  console.log(
    `\nthis checkout (A)${other ? ` against ${otherDir} (B)` : ''}, ${count} rounds of every run in rotating order, medians:`,
  );
  for (let r = 0; r < count; r++) {
    for (let k = 0; k < runs.length; k++) {
      const run = runs[(k + r) % runs.length]!;
      run.results.push(await measure(`${run.side} ${run.label}`, run.url, auth));
    }
  }
  const rounds = (xs: Result[]) => xs.map((x) => (x.mainCpuUs ?? 0).toFixed(1)).join(' ');
  const median = new Map(runs.map((run) => [`${run.side}${run.path}`, medianResult(run.results)]));
  for (const run of runs)
    console.log(`${line(median.get(`${run.side}${run.path}`)!)} (rounds ${rounds(run.results)})`);
  if (other) {
    for (const [label, path] of routes) {
      const cpu = median.get(`A${path}`)!.mainCpuUs! / median.get(`B${path}`)!.mainCpuUs!;
      console.log(`A/B ${label}: main-thread CPU per request ${cpu.toFixed(3)}x`);
    }
  }
  // The plugins' own cost: what the jwt + rate-limit route spends beyond the no-plugin one.
  const costs = gateways.flatMap(([side]) => {
    const plain = median.get(`${side}/plain/`);
    const secured = median.get(`${side}/secured/`);
    if (!plain || !secured) return [];
    const extra = secured.mainCpuUs! - plain.mainCpuUs!;
    // Each round's pair, measured next to each other: steadier than the medians' difference
    // when the load swings from round to round.
    const runOf = (path: string) => runs.find((x) => x.side === side && x.path === path)!.results;
    const [ps, ss] = [runOf('/plain/'), runOf('/secured/')];
    const paired = ss.map((x, i) => x.mainCpuUs! / ps[i]!.mainCpuUs! - 1).sort((a, b) => a - b);
    const pairedMedian = paired[Math.floor(paired.length / 2)]!;
    return [
      `${side} round by round ${(pairedMedian * 100).toFixed(1)}% (main thread, median of the rounds' pairs)`,
      `${side} +${extra.toFixed(1)} µs (${cpuCost(secured, plain)}), req/s ${((1 - secured.rps / plain.rps) * 100).toFixed(1)}%`,
    ];
  });
  if (costs.length) console.log(`plugin cost, main-thread CPU/req over no plugins: ${costs.join('; ')}`);
}

/**
 * Cost as the work grows, over HTTP, each pair measured one after the other in this run: a
 * gateway with 10,000 more routes against the same route on the plain one; 100,000 distinct
 * rate-limit keys (client addresses) against 10; an upstream of 200 instances against one of
 * 2, on a gateway sending to all instances and on one with `UPSTREAM_SUBSET_SIZE` set
 * (`BENCH_SUBSET_SIZE`, 16); and 1 MiB answers streamed through the gateway against nginx.
 */
async function scaleBlock(
  results: Result[],
  gateway: string,
  nginxUrl: string | undefined,
  startGateway: (config: string, env?: NodeJS.ProcessEnv) => Promise<string>,
): Promise<void> {
  const big = await startGateway('gateway-10k.yaml');
  // The keyed route counts per client address, which the bench sets in X-Forwarded-For: only
  // this gateway believes it, so the other figures do not pay for the trusted-proxy check.
  const keyed = await startGateway('gateway.yaml', { TRUST_PROXY: '127.0.0.1' });
  // The same gateway sending each upstream's traffic to a subset of its instances.
  const subset = await startGateway('gateway.yaml', { UPSTREAM_SUBSET_SIZE: String(SUBSET) });
  await expectOk(`${big}/plain/`, {});
  const address = (i: number) => ({
    'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
  });
  const pairs: [Result, Result, string][] = [
    [
      await measure('10 routes', `${gateway}/plain/`),
      await measure('10,010 routes', `${big}/plain/`),
      'routes 10k/10 req/s',
    ],
    [
      await measure('10 rate-limit keys', `${keyed}/keyed/`, {}, (i) => address(i % 10)),
      await measure('100,000 rate-limit keys', `${keyed}/keyed/`, {}, (i) => address(i % 100_000)),
      'keys 100k/10 req/s',
    ],
  ];
  const [all, subsetPair] = await instancePair([gateway, subset], ['', `subset ${SUBSET} `]);
  pairs.push(
    [...all!, 'instances 200/2 req/s'],
    [...subsetPair!, `instances 200/2 with UPSTREAM_SUBSET_SIZE=${SUBSET} req/s`],
  );
  console.log('\nscale over HTTP (each pair one after the other):');
  for (const [a, b, label] of pairs) {
    console.log(line(a));
    console.log(line(b));
    console.log(`ratio ${label}: ${(b.rps / a.rps).toFixed(2)}x (target >= 0.95)`);
  }
  const gw = await measure('1 MiB streamed, gateway', `${gateway}/plain/big`);
  console.log(line(gw, 'bytes'));
  if (nginxUrl) {
    const ng = await measure('1 MiB streamed, nginx', `${nginxUrl}/big`);
    console.log(line(ng, 'bytes'));
    console.log(`ratio 1 MiB bodies gateway / nginx: ${(gw.bytes / ng.bytes).toFixed(2)}x (target >= 0.8)`);
  }
  for (const [a, b] of pairs) results.push(a, b);
  results.push(gw);
}

/**
 * 2 and 200 instances of one upstream on each gateway given, in `BENCH_ROUNDS` rounds whose
 * order rotates, medians of each, with the main-thread CPU per request: on a loaded machine
 * one pass of each swung the ratio from 0.79x to 0.93x. Returns each gateway's pair.
 */
async function instancePair(gateways: string[], labels = ['']): Promise<[Result, Result][]> {
  const rounds = Math.max(1, Number(process.env['BENCH_ROUNDS'] ?? 1));
  const runs = gateways.flatMap((g, i) => [
    { label: `${labels[i] ?? ''}2 instances`, url: `${g}/two/`, results: [] as Result[] },
    { label: `${labels[i] ?? ''}200 instances`, url: `${g}/many/`, results: [] as Result[] },
  ]);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < runs.length; k++) {
      const run = runs[(k + r) % runs.length]!;
      run.results.push(await measure(run.label, run.url));
    }
  }
  const medians = runs.map((run) => medianResult(run.results));
  for (let i = 0; i < gateways.length; i++) {
    const [a, b] = [medians[2 * i]!, medians[2 * i + 1]!];
    if (a.mainCpuUs === undefined || b.mainCpuUs === undefined) continue;
    const each = (xs: Result[]) => xs.map((x) => x.mainCpuUs!.toFixed(1)).join(' ');
    if (gateways.length > 1) console.log(line(a));
    if (gateways.length > 1) console.log(line(b));
    console.log(
      `${labels[i] ?? ''}instances 200/2 main-thread CPU per request: ${(b.mainCpuUs / a.mainCpuUs).toFixed(3)}x, req/s ${(b.rps / a.rps).toFixed(2)}x (rounds 2: ${each(runs[2 * i]!.results)}; 200: ${each(runs[2 * i + 1]!.results)})`,
    );
  }
  return gateways.map((_, i): [Result, Result] => [medians[2 * i]!, medians[2 * i + 1]!]);
}

/**
 * Tracing cost: three gateways on the same route (jwt + rate-limit), the SDK off, sampling 10%
 * and 100% of traces (parent-based, as in production), spans batched to an OTLP sink. Measured
 * in `BENCH_ROUNDS` rounds (3 by default) whose order rotates, medians of each, so the ratios
 * compare like with like on a machine whose load moves; each round's main-thread CPU per
 * request is printed too.
 */
async function tracingBlock(
  startGateway: (t?: NodeJS.ProcessEnv, c?: string, env?: NodeJS.ProcessEnv, dir?: string) => Promise<string>,
  auth: Record<string, string>,
): Promise<void> {
  const sink = start(process.execPath, ['--import', 'tsx', join(here, 'otlp-sink.ts')], {}, here);
  const sinkUrl: string = await new Promise((resolve) =>
    sink.stdout!.once('data', (c: Buffer) => resolve(c.toString().trim())),
  );
  const traced = (ratio: string): NodeJS.ProcessEnv => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl,
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: ratio,
  });
  // BENCH_TRACING_EXTRA="name,VAR=value,...;..." adds gateways sampling 10% with more settings.
  const extra = (process.env['BENCH_TRACING_EXTRA'] ?? '')
    .split(';')
    .filter(Boolean)
    .map((v) => v.split(','))
    .map(([name, ...kv]) => ({ name: name!, env: Object.fromEntries(kv.map((x) => x.split('='))) }));
  // Each configuration is a way to start a gateway: two processes of the same code differ by up
  // to 13% in CPU per request for as long as they live (their JIT settles differently), so each
  // round starts every configuration afresh and the medians are over processes, not one each.
  type Run = { name: string; launch: () => Promise<string>; url: string; results: Result[] };
  const runs: Run[] = [
    { name: 'tracing off', launch: () => startGateway(), url: '', results: [] },
    { name: 'tracing 10% sampled', launch: () => startGateway(traced('0.1')), url: '', results: [] },
    { name: 'tracing 100% sampled', launch: () => startGateway(traced('1')), url: '', results: [] },
  ];
  for (const v of extra)
    runs.push({
      name: v.name,
      launch: () => startGateway({ ...traced('0.1'), ...v.env }),
      url: '',
      results: [],
    });
  // BENCH_AB_DIR: the other checkout's gateway, off, at 10% and at 100%, in the same rotating rounds.
  const abDir = process.env['BENCH_AB_DIR'];
  const abFrom = runs.length;
  if (abDir) {
    const dir = join(abDir, 'services/gateway');
    runs.push(
      {
        name: 'B tracing off',
        launch: () => startGateway(undefined, 'gateway.yaml', {}, dir),
        url: '',
        results: [],
      },
      {
        name: 'B tracing 10% sampled',
        launch: () => startGateway(traced('0.1'), 'gateway.yaml', {}, dir),
        url: '',
        results: [],
      },
      {
        name: 'B tracing 100% sampled',
        launch: () => startGateway(traced('1'), 'gateway.yaml', {}, dir),
        url: '',
        results: [],
      },
    );
  }
  const warm = (url: string) =>
    autocannon({ url: `${url}/secured/`, connections: CONNECTIONS, headers: auth, duration: 2 });
  // BENCH_TRACING_RATE=n loads every gateway at once, each at n req/s, and compares their CPU per
  // request round by round: the host's speed moves them all together, so it cancels out.
  if (process.env['BENCH_TRACING_RATE']) {
    for (const run of runs) run.url = await run.launch();
    // Each gateway under load once first, so none is measured while its code is still compiling.
    for (const run of runs) await warm(run.url);
    await simultaneousRounds(runs, auth, Number(process.env['BENCH_TRACING_RATE']));
    return;
  }
  const rounds = Math.max(1, Number(process.env['BENCH_ROUNDS'] ?? 3));
  // BENCH_TRACING_FRESH=0 keeps one process per configuration for every round.
  const fresh = process.env['BENCH_TRACING_FRESH'] !== '0';
  if (!fresh) for (const run of runs) run.url = await run.launch();
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < runs.length; k++) {
      const run = runs[(k + r) % runs.length]!;
      if (fresh) run.url = await run.launch();
      // Under load once first, so no gateway is measured while its code is still compiling.
      if (fresh || r === 0) await warm(run.url);
      run.results.push(await measure(run.name, `${run.url}/secured/`, auth));
      if (fresh) await stopGateway(run.url);
    }
  }
  const results = runs.map((run) => medianResult(run.results));
  console.log(
    `\ntracing cost on the gateway (jwt + rate-limit local route), median of ${rounds} rotating rounds${fresh ? ', a new process for each measure' : ''}:`,
  );
  const each = (xs: Result[]) => xs.map((x) => (x.mainCpuUs ?? 0).toFixed(1)).join(' ');
  for (const [i, r] of results.entries())
    console.log(`${line(r)} (main-thread µs/req by round: ${each(runs[i]!.results)})`);
  const [base, tenR, allR] = results as [Result, Result, Result];
  console.log(
    `tracing cost: 10% sampling ${((1 - tenR.rps / base.rps) * 100).toFixed(1)}% of req/s (target <= 10%), 100% sampling ${((1 - allR.rps / base.rps) * 100).toFixed(1)}%`,
  );
  console.log(
    `tracing cost in gateway CPU per request: 10% sampling ${cpuCost(tenR, base)} (target <= 10%), 100% sampling ${cpuCost(allR, base)}`,
  );
  // Each round's pair, measured one after the other: steadier than the medians' ratio when the
  // host's speed swings from round to round (the same gateway moved 103-200 µs a request).
  const paired = (i: number, against = 0) => {
    const xs = runs[i]!.results.map((x, r) => x.mainCpuUs! / runs[against]!.results[r]!.mainCpuUs! - 1);
    const sorted = [...xs].sort((a, b) => a - b);
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    return `${pct(sorted[Math.floor(sorted.length / 2)]!)} (rounds ${xs.map(pct).join(' ')})`;
  };
  console.log(
    `tracing cost round by round (main thread, median of the rounds' pairs with tracing off): 10% sampling ${paired(1)}, 100% sampling ${paired(2)}`,
  );
  for (const r of results.slice(3, abFrom))
    console.log(
      `${r.name}: ${((1 - r.rps / base.rps) * 100).toFixed(1)}% of req/s, CPU per request ${cpuCost(r, base)}`,
    );
  if (abDir) {
    const [bBase, bTen, bAll] = results.slice(abFrom) as [Result, Result, Result];
    console.log(
      `B (${abDir}): tracing cost in gateway CPU per request at 10% sampling ${cpuCost(bTen, bBase)}; this checkout's 10% against B's 10%: ${cpuCost(tenR, bTen)}, 100% against B's 100%: ${cpuCost(allR, bAll)}, off against B's off: ${cpuCost(base, bBase)}`,
    );
    console.log(
      `this checkout against B round by round (main thread, median of the rounds' pairs): off ${paired(0, abFrom)}, 10% ${paired(1, abFrom + 1)}, 100% ${paired(2, abFrom + 2)}`,
    );
  }
}

/**
 * Every gateway under the same fixed request rate at the same time, `BENCH_ROUNDS` rounds: the
 * main-thread CPU each spends per request, and each one's cost over the first (tracing off) as
 * the median of the rounds' ratios. Measured side by side, a host whose speed drifts by half
 * between rounds (as shared ones do) moves every gateway alike; at a rate under saturation,
 * every gateway also sees the same batching of requests per event-loop turn, so the figure is
 * the work each request adds, which at saturation is what req/s loses.
 */
async function simultaneousRounds(
  runs: { name: string; url: string }[],
  auth: Record<string, string>,
  rate: number,
): Promise<void> {
  const rounds = Math.max(1, Number(process.env['BENCH_ROUNDS'] ?? 7));
  const perRound: number[][] = runs.map(() => []);
  for (let r = 0; r < rounds; r++) {
    const ids = runs.map((run) => pids.get(new URL(run.url).origin)!);
    const before = ids.map((pid) => cpuTimeUs(pid, true));
    const results = await Promise.all(
      runs.map((run) =>
        autocannon({
          url: `${run.url}/secured/`,
          connections: 8,
          overallRate: rate,
          headers: auth,
          duration: DURATION,
        }),
      ),
    );
    for (const [i, res] of results.entries()) {
      if (res.non2xx || res.errors)
        throw new Error(`${runs[i]!.name}: ${res.non2xx} non-2xx, ${res.errors} errors`);
      perRound[i]!.push((cpuTimeUs(ids[i]!, true) - before[i]!) / Math.max(1, res.requests.total));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(
    `\ntracing cost, every gateway at ${rate} req/s at the same time, ${rounds} rounds of ${DURATION} s (main-thread CPU per request):`,
  );
  for (const [i, run] of runs.entries()) {
    const us = perRound[i]!;
    const ratios = us.map((x, r) => x / perRound[0]![r]! - 1);
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    console.log(
      `${run.name.padEnd(34)} ${median(us).toFixed(1).padStart(6)} µs/req${i ? `  cost ${pct(median(ratios))} (rounds ${ratios.map(pct).join(' ')})` : ''} (µs by round: ${us.map((x) => x.toFixed(1)).join(' ')})`,
    );
  }
}

await main();

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

/** Bytes per function (name and file) in a sampling heap profile, and the total. */
function allocationByFunction(root: HeapNode): { total: number; by: Map<string, number> } {
  const by = new Map<string, number>();
  let total = 0;
  const walk = (n: HeapNode) => {
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules|src)\//, '$1/')}:${f.lineNumber + 1}`;
    if (n.selfSize) by.set(key, (by.get(key) ?? 0) + n.selfSize);
    total += n.selfSize;
    for (const c of n.children) walk(c);
  };
  walk(root);
  return { total, by };
}

/**
 * Bytes allocated per request (young and old garbage included) by the floor and the gateway's
 * routes under the bench's load, from V8's sampling heap profiler in each process
 * (alloc-probe.mjs, SIGUSR2 around one measured run), with the functions that allocate most.
 * Sampling keeps one object per ~1 KiB allocated (ALLOC_PROBE_INTERVAL), so small figures are
 * estimates; rounds (BENCH_ROUNDS) alternate the order and the median is printed.
 */
async function allocBlock(
  startGateway: (t?: NodeJS.ProcessEnv, c?: string, env?: NodeJS.ProcessEnv, dir?: string) => Promise<string>,
  floor: string,
  gateway: string,
  auth: Record<string, string>,
): Promise<void> {
  const abDir = process.env['BENCH_AB_DIR'];
  const other = abDir
    ? await startGateway(undefined, 'gateway.yaml', {}, join(abDir, 'services/gateway'))
    : undefined;
  const targets: [string, string, Record<string, string>][] = [
    ['floor', `${floor}/`, auth],
    ['A no plugins', `${gateway}/plain/`, auth],
    ['A jwt + rate-limit local', `${gateway}/secured/`, auth],
    ...(other
      ? ([
          ['B no plugins', `${other}/plain/`, auth],
          ['B jwt + rate-limit local', `${other}/secured/`, auth],
        ] as [string, string, Record<string, string>][])
      : []),
  ];
  const top = Number(process.env['BENCH_ALLOC_TOP'] ?? 12);
  const rounds = Math.max(1, Number(process.env['BENCH_ROUNDS'] ?? 3));
  const perRequest = targets.map((): number[] => []);
  const last = new Map<string, { by: Map<string, number>; requests: number }>();
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? [...targets.keys()].reverse() : [...targets.keys()];
    for (const i of order) {
      const [name, url, headers] = targets[i]!;
      const pid = pids.get(new URL(url).origin)!;
      await autocannon({ url, connections: CONNECTIONS, headers, duration: 1 });
      process.kill(pid, 'SIGUSR2');
      await new Promise((res) => setTimeout(res, 100));
      const run = await autocannon({ url, connections: CONNECTIONS, headers, duration: DURATION });
      process.kill(pid, 'SIGUSR2');
      const deadline = Date.now() + 20_000;
      const profilePath = join(work, `probe-${pid}.heapprofile`);
      while (!existsSync(`${profilePath}.done`) && Date.now() < deadline)
        await new Promise((res) => setTimeout(res, 100));
      const profile = JSON.parse(readFileSync(profilePath, 'utf8')) as { head: HeapNode };
      rmSync(`${profilePath}.done`);
      const { total, by } = allocationByFunction(profile.head);
      perRequest[i]!.push(total / Math.max(1, run.requests.total));
      last.set(name, { by, requests: run.requests.total });
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(
    `\nallocated per request (sampled, garbage included), ${CONNECTIONS} connections, ${DURATION} s, median of ${rounds} rounds:`,
  );
  const floorBytes = median(perRequest[0]!);
  for (const [i, [name]] of targets.entries()) {
    const b = median(perRequest[i]!);
    const each = perRequest[i]!.map((x) => (x / 1024).toFixed(1)).join(' ');
    console.log(
      `${name.padEnd(28)} ${(b / 1024).toFixed(1).padStart(6)} KB/req  ${(b / floorBytes).toFixed(2)}x floor  (rounds ${each})`,
    );
  }
  for (const [name, { by, requests }] of last) {
    console.log(`\n${name}: top ${top} allocating functions, bytes per request (last round)`);
    const rows = [...by].sort((a, b) => b[1] - a[1]).slice(0, top);
    for (const [fn, bytes] of rows) console.log(`  ${(bytes / requests).toFixed(0).padStart(6)}  ${fn}`);
  }
}
