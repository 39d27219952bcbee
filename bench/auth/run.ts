/**
 * Auth benchmarks, each against a baseline measured in the same run:
 *   1. token verifications/s through the shared verifier vs raw `jose` (distinct tokens; a seen token)
 *   2. logins/s through the auth service (HTTP) vs raw argon2id verifications/s
 *   3. RSS of the auth service process 5 s after start and once idle, on embedded PGlite (also as
 *      the image starts it, with `--import @opsmesh/shared/register`) and on PostgreSQL
 * Run: npm run bench -w auth-service   (about two minutes; BENCH_ONLY picks parts, see the end)
 */
import { execSync, spawn } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import { createTokenVerifier, localKeys } from '@opsmesh/shared';
import { createPostgresDatabase } from '@opsmesh/shared/testing';
import { jwtVerify, SignJWT } from 'jose';
import pg from 'pg';
import { ARGON2_PARAMS } from '../../services/auth-service/src/services/password-service.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startAuth } from '../../services/auth-service/test/helpers.js';

const say = (s: string) => process.stdout.write(`${s}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function rate(
  label: string,
  seconds: number,
  concurrency: number,
  op: (i: number) => Promise<unknown>,
): Promise<number> {
  process.stderr.write(`  measuring ${label} for ${seconds}s...\n`);
  const end = performance.now() + seconds * 1000;
  let done = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) await op(done++);
    }),
  );
  return done / ((performance.now() - start) / 1000);
}

async function verification(): Promise<void> {
  say('\n## token verification (EdDSA, one core)');
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const opts = { issuer: 'opsmesh-auth', audience: 'opsmesh' };
  const now = Math.floor(Date.now() / 1000);
  const tokens = await Promise.all(
    Array.from({ length: 20_000 }, () =>
      new SignJWT({ roles: ['operator'], sid: `ses_${randomUUID()}` })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'k1' })
        .setSubject('usr_bench')
        .setIssuer(opts.issuer)
        .setAudience(opts.audience)
        .setIssuedAt(now)
        .setJti(randomUUID())
        .setExpirationTime(now + 900)
        .sign(privateKey),
    ),
  );
  const rawOpts = { algorithms: ['EdDSA'], ...opts, clockTolerance: 30 };
  const verifier = createTokenVerifier({ keys: localKeys(() => publicKey), ...opts, cacheSize: 50_000 });
  // Warm both paths up.
  for (let i = 0; i < 500; i++) {
    await jwtVerify(tokens[i]!, publicKey, rawOpts);
    await createTokenVerifier({ keys: localKeys(() => publicKey), ...opts }).verify(tokens[i]!);
  }
  const n = tokens.length;
  const rawDistinct = await rate('raw jose, distinct tokens', 3, 1, (i) =>
    jwtVerify(tokens[i % n]!, publicKey, rawOpts),
  );
  let j = 0;
  let fresh = verifier;
  const distinct = await rate('shared verifier, distinct tokens', 3, 1, () => {
    // Every call a token it has not seen: a fresh verifier (empty cache) each time the 20k are used up.
    if (j > 0 && j % n === 0)
      fresh = createTokenVerifier({ keys: localKeys(() => publicKey), ...opts, cacheSize: 50_000 });
    return fresh.verify(tokens[j++ % n]!);
  });
  const seen = tokens[0]!;
  await verifier.verify(seen);
  const rawSeen = await rate('raw jose, same token', 3, 1, () => jwtVerify(seen, publicKey, rawOpts));
  const cached = await rate('shared verifier, same token', 3, 1, () => verifier.verify(seen));
  say(`raw jose, distinct tokens        ${fmt(rawDistinct)} /s`);
  say(
    `shared verifier, distinct tokens ${fmt(distinct)} /s   ratio ${(distinct / rawDistinct).toFixed(2)} (target >= 0.9)`,
  );
  say(`raw jose, a token seen before    ${fmt(rawSeen)} /s`);
  say(
    `shared verifier, seen token      ${fmt(cached)} /s   ratio ${(cached / rawSeen).toFixed(1)}x (target >= 20x)`,
  );
}

async function logins(label: string, target: { url: string | undefined; dataDir: string }): Promise<void> {
  say(`\n## logins (argon2id m=19 MiB t=2 p=1), database: ${label}`);
  const h = await startAuth({ ...target, drop: async () => {} });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (h.app.server.address() as { port: number }).port;
  const hash = await argon2Hash(ADMIN_PASSWORD, ARGON2_PARAMS);
  const concurrency = 4;
  const body = JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  // A lean keep-alive client (as autocannon is, and as bench/ml uses): Node's fetch costs about a
  // millisecond of this same event loop per request, which would be charged to the service.
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const req = httpRequest(
        `http://127.0.0.1:${port}/login`,
        { method: 'POST', headers: { 'content-type': 'application/json' }, agent },
        (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 200 ? resolve() : reject(new Error(`login answered ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  // Warm both paths up for a second each, as above: the login path's JavaScript is compiled and
  // optimised while it first runs.
  await rate('warm-up: raw argon2id verify', 1, concurrency, () => argon2Verify(hash, ADMIN_PASSWORD));
  await rate('warm-up: POST /login', 1, concurrency, post);
  // Alternating rounds, so a change in the machine's load falls on both sides; beside the rates,
  // CPU per operation (this process, all threads, with the database server's backends on
  // PostgreSQL), which a loaded machine moves less than it moves rates.
  const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3);
  const raws: Measured[] = [];
  const viaHttp: Measured[] = [];
  for (let i = 0; i < rounds; i++) {
    raws.push(
      await measured(`raw argon2id verify, round ${i + 1}`, 4, concurrency, target.url, () =>
        argon2Verify(hash, ADMIN_PASSWORD),
      ),
    );
    viaHttp.push(await measured(`POST /login over HTTP, round ${i + 1}`, 4, concurrency, target.url, post));
  }
  agent.destroy();
  await h.close();
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const raw = med(raws.map((r) => r.perSecond));
  const logins = med(viaHttp.map((r) => r.perSecond));
  const ratio = med(viaHttp.map((r, i) => r.perSecond / raws[i]!.perSecond));
  const rawCpu = med(raws.map((r) => r.cpuMs));
  const loginCpu = med(viaHttp.map((r) => r.cpuMs + r.databaseCpuMs));
  say(`raw argon2id verifications ${raw.toFixed(1)} /s, ${rawCpu.toFixed(1)} ms of CPU each`);
  say(
    `logins through the service ${logins.toFixed(1)} /s, ${loginCpu.toFixed(1)} ms of CPU each${target.url ? ' (database server included)' : ''}`,
  );
  say(
    `ratio ${ratio.toFixed(2)} (median of ${rounds} alternating rounds; by CPU per operation ${(rawCpu / loginCpu).toFixed(2)})  (target >= 0.8)`,
  );
}

interface Measured {
  perSecond: number;
  /** CPU of this process (every thread) per operation. */
  cpuMs: number;
  /** CPU of the PostgreSQL backends serving the database per operation; 0 without one. */
  databaseCpuMs: number;
}

/** CPU milliseconds the server backends of `url`'s database have used (Linux, 100 Hz ticks). */
async function databaseCpu(client: pg.Client | undefined, database: string): Promise<number> {
  if (!client) return 0;
  const { rows } = await client.query<{ pid: number }>(
    'select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
    [database],
  );
  let ticks = 0;
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // A backend that has just exited.
    }
  }
  return ticks * 10;
}

async function measured(
  label: string,
  seconds: number,
  concurrency: number,
  url: string | undefined,
  op: () => Promise<unknown>,
): Promise<Measured> {
  const client = url ? new pg.Client({ connectionString: url }) : undefined;
  await client?.connect();
  const database = url ? new URL(url).pathname.slice(1) : '';
  try {
    const db0 = await databaseCpu(client, database);
    const cpu0 = process.cpuUsage();
    let done = 0;
    const perSecond = await rate(label, seconds, concurrency, async () => {
      await op();
      done++;
    });
    const cpu = process.cpuUsage(cpu0);
    const db = (await databaseCpu(client, database)) - db0;
    return { perSecond, cpuMs: (cpu.user + cpu.system) / 1000 / done, databaseCpuMs: db / done };
  } finally {
    await client?.end();
  }
}

async function idleRss(label: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<void> {
  const port = 18500 + Math.floor(Math.random() * 400);
  const dir = mkdtempSync(join(tmpdir(), 'opsmesh-bench-auth-'));
  const cwd = fileURLToPath(new URL('../../services/auth-service', import.meta.url));
  // The process as deployed: compiled JavaScript, no TypeScript loader.
  const child = spawn(process.execPath, [...nodeArgs, 'dist/main.js'], {
    cwd,
    env: {
      ...process.env,
      PORT: String(port),
      OPSMESH_DATA_DIR: dir,
      OPSMESH_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: 'ignore',
  });
  try {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const ok = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    await fetch(`http://127.0.0.1:${port}/.well-known/jwks.json`);
    const rssMb = () =>
      Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await pause(5000);
    const early = rssMb();
    // V8 gives back its start-up garbage 10 to 15 s after the process goes quiet: idle is from
    // 25 s on, once two readings 5 s apart agree within 2 MB (at most a minute).
    let settled = early;
    let waited = 5;
    while (waited < 60) {
      await pause(5000);
      waited += 5;
      const now = rssMb();
      const moved = Math.abs(now - settled);
      settled = now;
      if (waited >= 25 && moved <= 2) break;
    }
    say(`${'RSS 5 s after start,'.padEnd(26)} ${label.padEnd(26)} ${early.toFixed(0)} MB`);
    say(
      `idle RSS (settled, ${String(waited).padStart(2)} s), ${label.padEnd(26)} ${settled.toFixed(0)} MB (target < 150 MB)`,
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

// BENCH_ONLY=verification,logins,logins-pg,rss,rss-pg (any of them, comma-separated) runs those
// parts alone: `logins` and `rss` mean both databases, the `-pg` forms PostgreSQL only.
const only = new Set((process.env['BENCH_ONLY'] ?? '').split(',').filter(Boolean));
const part = (name: string) => only.size === 0 || only.has(name);
say(`# bench/auth  node ${process.version}, ${new Date().toISOString()}`);
if (part('verification')) await verification();
if (part('logins')) await logins('embedded PGlite', { url: undefined, dataDir: 'memory://' });
if (part('logins') || part('logins-pg')) {
  const pgForLogins = await createPostgresDatabase('opsmesh_bench').catch(() => null);
  if (pgForLogins) {
    try {
      await logins('PostgreSQL', { url: pgForLogins.url, dataDir: 'memory://' });
    } finally {
      await pgForLogins.drop();
    }
  } else say('logins on PostgreSQL: skipped (PostgreSQL unreachable)');
}
if (part('rss') || part('rss-pg')) {
  say('\n## idle memory of the auth service process (compiled, as in the image)');
  process.stderr.write('  building shared, contracts and auth-service...\n');
  execSync('npm run build -w @opsmesh/contracts -w @opsmesh/shared -w auth-service', {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    stdio: 'ignore',
  });
}
if (part('rss')) {
  await idleRss('embedded PGlite', {});
  // As the image's CMD starts it: with the tracing SDK and its instrumentations registered first.
  await idleRss('PGlite, tracing registered', {}, ['--import', '@opsmesh/shared/register']);
}
if (part('rss') || part('rss-pg')) {
  const pg = await createPostgresDatabase('opsmesh_bench').catch(() => null);
  if (pg?.url) {
    try {
      await idleRss('PostgreSQL (DATABASE_URL)', { DATABASE_URL: pg.url });
    } finally {
      await pg.drop();
    }
  } else say('idle RSS on PostgreSQL: skipped (PostgreSQL unreachable)');
}
