// The jwt + local rate-limit plugins' own work per request, in process: the cached-token check
// (authenticateRoute over the kit's authenticator), the limiter's decision and its answer
// fields, node:http's work on those fields in the answer head (against the same head without
// them), and the upstream headers with the identity's against the same request without one.
// This checkout (A) against BENCH_AB_DIR's (B), loaded side by side and timed in alternating
// rounds (process CPU time, medians), so a cut is judged against its base in one run on a
// machine whose load moves; HTTP figures cannot see changes this size (their rounds spread by
// several µs). Each request gets a new Authorization string, as Node's parser makes one.
//   BENCH_AB_DIR=/work/main node --conditions=source --import tsx bench/gateway/plugins.ts
import { type IncomingMessage, ServerResponse } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ITERATIONS = Number(process.env['BENCH_ITERATIONS'] ?? 200_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 7);
const here = join(import.meta.dirname, '../..');

/** The hot path's pieces of one checkout, set up as the gateway sets them for `/secured`. */
async function load(root: string) {
  const from = (path: string) => import(pathToFileURL(join(root, path)).href);
  const { createAuthenticator } = await from('packages/shared/src/identity/authenticator.ts');
  const { authenticateRoute } = await from('services/gateway/src/auth/route-authenticator.ts');
  const { RateLimiter } = await from('services/gateway/src/rate-limit/rate-limiter.ts');
  const { LocalStore } = await from('services/gateway/src/rate-limit/local-store.ts');
  const { upstreamHeaders } = await from('services/gateway/src/proxy/upstream-headers.ts');
  const identity = {
    subject: 'usr_bench',
    kind: 'user',
    roles: ['viewer'],
    permissions: new Set(['alerts:read']),
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
    issuedAt: Math.floor(Date.now() / 1000),
    token: TOKEN,
  };
  // The verifier's cache answers the one token; the memo in front of it is what is measured.
  const verifier = {
    cached: (token: string) => (token === TOKEN ? identity : undefined),
    verify: async () => identity,
    cacheSize: 1,
  };
  const authenticator = createAuthenticator({ verifier });
  const store = new LocalStore();
  const limiter = new RateLimiter(
    'secured',
    { policy: 'local', limit_by: 'consumer', second: 1_000_000_000, minute: 2_000_000_000 },
    store,
  );
  const routeAuth = { open: false, jwt: true, apiKey: false, permission: undefined };
  return { authenticateRoute, authenticator, limiter, upstreamHeaders, routeAuth, store };
}

type Checkout = Awaited<ReturnType<typeof load>>;

// A token of the auth service's size (~700 characters with its claims and signature).
const TOKEN = `eyJhbGciOiJFZERTQSIsImtpZCI6InRlc3QifQ.${'eyJzdWIiOiJ1c3JfYmVuY2giLCJyb2xlcyI6WyJ2aWV3ZXIiXX0'.repeat(11)}.${'s1gnature-'.repeat(9)}`;
// Distinct string objects of the same value, as the HTTP parser hands each request a new one.
const HEADERS = Array.from({ length: 64 }, () => ({
  host: '127.0.0.1:8080',
  'user-agent': 'autocannon',
  authorization: Buffer.from(`Bearer ${TOKEN}`, 'latin1').toString('latin1'),
}));
const PLAIN = { host: '127.0.0.1:8080', 'user-agent': 'autocannon' };

function facts(identity: unknown) {
  return {
    route: 'secured',
    stripped: '',
    identity,
    clientIp: '127.0.0.1',
    protocol: 'http',
    host: '127.0.0.1:8080',
    requestId: 'req-1',
    traceparent: undefined,
  };
}

let sink = 0;

/** CPU ns per call of `step`, over ITERATIONS calls. */
function time(step: (i: number) => void): number {
  const start = process.cpuUsage();
  for (let i = 0; i < ITERATIONS; i++) step(i);
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1000) / ITERATIONS;
}

/** The gateway's own answer fields on every answer (request id, security headers) and the upstream's. */
const ANSWER = [
  'x-request-id',
  'req_0123456789abcdef',
  'x-content-type-options',
  'nosniff',
  'x-frame-options',
  'DENY',
  'content-type',
  'application/json',
  'content-length',
  '62',
];
const REQUEST = { method: 'GET', httpVersionMajor: 1, httpVersionMinor: 1, headers: {} } as IncomingMessage;

/** node:http's work on an answer head: the pairs checked and joined into the head's text. */
function answerHead(pairs: string[]): void {
  const res = new ServerResponse(REQUEST);
  res.writeHead(200, pairs);
  sink ^= (res as unknown as { _header: string })._header.length;
}

/** The limit's answer fields as the exchange adds them, from one decision of checkout `c`. */
function limitFields(c: Checkout): string[] {
  const d = c.limiter.check({ consumer: 'usr_bench', ip: '127.0.0.1' });
  // `RateLimit-Policy` and `RateLimit` now; a record of three `RateLimit-*` fields before.
  if (d.headers) return Object.entries(d.headers as Record<string, string>).flat();
  return ['ratelimit-policy', c.limiter.policyField, 'ratelimit', d.rateLimit];
}

const pieces: [string, (c: Checkout) => (i: number) => void][] = [
  [
    'jwt (cached token)',
    (c) => (i) => {
      sink ^= c.authenticateRoute(c.authenticator, c.routeAuth, HEADERS[i & 63]).subject.length;
    },
  ],
  [
    'rate limit + its headers',
    (c) => {
      const out: string[] = [];
      return () => {
        const d = c.limiter.check({ consumer: 'usr_bench', ip: '127.0.0.1' });
        out.length = 0;
        // The answer's fields as the exchange adds them: `RateLimit-Policy` and `RateLimit`
        // now, a record of three `RateLimit-*` fields in checkouts from before.
        if (d.headers) for (const name in d.headers) out.push(name, d.headers[name]);
        else out.push('ratelimit-policy', c.limiter.policyField, 'ratelimit', d.rateLimit);
        sink ^= out.length;
      };
    },
  ],
  [
    "the limit's fields in node:http's head",
    (c) => {
      const fields = limitFields(c);
      return () => answerHead([...ANSWER, ...fields]);
    },
  ],
  [
    'upstream headers, identity over none',
    (c) => {
      const identity = c.authenticateRoute(c.authenticator, c.routeAuth, HEADERS[0]);
      return (i) => {
        sink ^= c.upstreamHeaders(HEADERS[i & 63], facts(identity), undefined, 6).length;
      };
    },
  ],
];
/** The last piece's baseline: the same headers built for a request with no identity. */
const noIdentity = (c: Checkout) => () => {
  sink ^= c.upstreamHeaders(PLAIN, facts(null), undefined, 4).length;
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const abDir = process.env['BENCH_AB_DIR'];
  if (!abDir) throw new Error('set BENCH_AB_DIR to the checkout to compare with (e.g. /work/main)');
  const checkouts = [await load(here), await load(abDir)];
  console.log(
    `plugin hot path in process, A = ${here}, B = ${abDir}; ${ROUNDS} alternating rounds of ${ITERATIONS} calls; load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  let totalA = 0;
  let totalB = 0;
  for (const [label, make] of pieces) {
    const steps = checkouts.map(make);
    const base = checkouts.map(noIdentity);
    const ns: number[][] = [[], []];
    for (let r = 0; r < ROUNDS + 1; r++) {
      const order = r % 2 ? [1, 0] : [0, 1];
      for (const k of order) {
        let t = time(steps[k]!);
        if (label.startsWith('upstream')) t -= time(base[k]!);
        if (label.startsWith("the limit's")) t -= time(() => answerHead([...ANSWER]));
        if (r > 0) ns[k]!.push(t); // round 0 warms both up
      }
    }
    const [a, b] = [median(ns[0]!), median(ns[1]!)];
    totalA += a;
    totalB += b;
    console.log(
      `${label.padEnd(38)} A ${a.toFixed(0).padStart(5)} ns  B ${b.toFixed(0).padStart(5)} ns  A/B ${(a / b).toFixed(2)}x  (A ${ns[0]!.map((x) => x.toFixed(0)).join(' ')}; B ${ns[1]!.map((x) => x.toFixed(0)).join(' ')})`,
    );
  }
  console.log(
    `plugins' own work per request: A ${totalA.toFixed(0)} ns, B ${totalB.toFixed(0)} ns (A/B ${(totalA / totalB).toFixed(2)}x); load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  for (const c of checkouts) await c.store.close();
  if (sink === 0.5) console.log(sink);
}

await main();
