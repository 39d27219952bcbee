/**
 * Auth benchmarks, each against a baseline measured in the same run:
 *   1. token verifications/s through the shared verifier vs raw `jose` (distinct tokens; a seen token)
 *   2. logins/s through the auth service (HTTP) vs raw argon2id verifications/s
 *   3. RSS of the auth service process 5 s after start and once idle, on embedded PGlite (also as
 *      the image starts it, with `--import @opsmesh/shared/register`) and on PostgreSQL
 * Run: npm run bench -w auth-service   (about two minutes)
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
  const raw = await rate('raw argon2id verify', 6, concurrency, () => argon2Verify(hash, ADMIN_PASSWORD));
  const viaHttp = await rate('POST /login over HTTP', 6, concurrency, post);
  agent.destroy();
  await h.close();
  say(`raw argon2id verifications ${raw.toFixed(1)} /s`);
  say(
    `logins through the service ${viaHttp.toFixed(1)} /s   ratio ${(viaHttp / raw).toFixed(2)} (target >= 0.8)`,
  );
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

say(`# bench/auth  node ${process.version}, ${new Date().toISOString()}`);
await verification();
await logins('embedded PGlite', { url: undefined, dataDir: 'memory://' });
const pgForLogins = await createPostgresDatabase('opsmesh_bench').catch(() => null);
if (pgForLogins) {
  try {
    await logins('PostgreSQL', { url: pgForLogins.url, dataDir: 'memory://' });
  } finally {
    await pgForLogins.drop();
  }
}
say('\n## idle memory of the auth service process (compiled, as in the image)');
process.stderr.write('  building shared, contracts and auth-service...\n');
execSync('npm run build -w @opsmesh/contracts -w @opsmesh/shared -w auth-service', {
  cwd: fileURLToPath(new URL('../..', import.meta.url)),
  stdio: 'ignore',
});
await idleRss('embedded PGlite', {});
// As the image's CMD starts it: with the tracing SDK and its instrumentations registered first.
await idleRss('PGlite, tracing registered', {}, ['--import', '@opsmesh/shared/register']);
const pg = await createPostgresDatabase('opsmesh_bench').catch(() => null);
if (pg?.url) {
  try {
    await idleRss('PostgreSQL (DATABASE_URL)', { DATABASE_URL: pg.url });
  } finally {
    await pg.drop();
  }
} else say('idle RSS on PostgreSQL: skipped (PostgreSQL unreachable)');
