// The fuzzing tier: requests derived from every service's OpenAPI document (valid, on a bound,
// mutated: bodies, query strings, path parameters, headers, content types, encodings) sent to
// each service directly and through the gateway of a running platform. Every answer must be
// below 500, arrive within the bound and, as a client error, be problem+json (the ML V2
// endpoints and the Prometheus-compatible /query and /query_range may answer with their
// protocols' own error bodies); every service must be healthy after.
//
// Bounded in time: FUZZ_BUDGET_MS per target (default 10 s; nine targets). A failure prints
// the seed and the path of the failing case; replay with
//   FUZZ_SEED=<seed> [FUZZ_TARGET='<target>'] [FUZZ_PATH=<path>] [FUZZ_RUNS=<n>] npx vitest run test/fuzz
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  eventually,
  REPO_ROOT,
  type RunningSystem,
  SYSTEM_ADMIN,
  startSystem,
} from '@opsmesh/shared/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { type ErrorProtocol, faultIn } from './answer-check.js';
import { type FuzzRequest, operationsOf, requestsFor } from './openapi-requests.js';
import { type Answer, type Credentials, send } from './send-request.js';

const SEED = process.env['FUZZ_SEED'] ? Number(process.env['FUZZ_SEED']) : Date.now() % 2 ** 31;
const RUNS = process.env['FUZZ_RUNS'] ? Number(process.env['FUZZ_RUNS']) : undefined;
const BUDGET_MS = Number(process.env['FUZZ_BUDGET_MS'] ?? 10_000);
const ONLY = process.env['FUZZ_TARGET'];
/** How long one answer may take on a loaded machine before it counts as a hang. */
const ANSWER_BOUND_MS = 20_000;

const SERVICES = [
  { name: 'auth-service', prefix: '/api/auth' },
  { name: 'ml-service', prefix: '/api/ml' },
  { name: 'monitoring-service', prefix: '/api/monitoring' },
  { name: 'chatops-service', prefix: '/api/chatops' },
];

interface Target {
  name: string;
  /** Which running process the requests go to. */
  base: () => string;
  doc: () => Record<string, unknown>;
  /** Paths of the document this target covers. */
  prefix: string;
  /** The protocol whose own error body a path may answer with. */
  protocolOf: (path: string) => ErrorProtocol;
}

const targets: Target[] = [];
let system: RunningSystem;
let configDir: string;
const docs = new Map<string, Record<string, unknown>>();
const creds: Credentials = { adminKey: '', adminJwt: '' };
const known: Record<string, string[]> = {
  name: ['iris-classifier'],
  model: ['iris-classifier'],
  version: ['1', '2'],
  alias: ['production', 'staging'],
  service: ['auth-service', 'ml-service', 'gateway'],
  signal: ['latency', 'errors', 'traffic', 'saturation'],
  match: ['up', '{__name__="up"}', '{job=~"auth.*"}'],
  query: ['up', 'rate(http_requests_total[5m])', 'sum by (job) (up)'],
};

/** ML's V2 endpoints and monitoring's Prometheus-compatible queries keep their protocols' errors. */
function protocolsOf(service: string, prefix: string): (path: string) => ErrorProtocol {
  const v2 = new RegExp(`^${prefix}/v2(/|$)`);
  const prom = new RegExp(`^${prefix}/query(_range)?$`);
  return (path) => {
    if (service === 'ml-service' && v2.test(path)) return 'open-inference';
    if (service === 'monitoring-service' && prom.test(path)) return 'prometheus';
    return null;
  };
}

for (const s of SERVICES) {
  targets.push({
    name: `${s.name} directly`,
    base: () => system.supervisor.url(s.name),
    doc: () => docs.get(s.name)!,
    prefix: '',
    protocolOf: protocolsOf(s.name, ''),
  });
  targets.push({
    name: `${s.name} through the gateway`,
    base: () => system.gateway,
    doc: () => docs.get('gateway')!,
    prefix: `${s.prefix}/`,
    protocolOf: protocolsOf(s.name, s.prefix),
  });
}
targets.push({
  name: 'gateway itself',
  base: () => system.gateway,
  doc: () => docs.get('gateway')!,
  prefix: '/admin/',
  protocolOf: () => null,
});

async function json(url: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
  const res = await fetch(url, init);
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** A fresh access token for the admin (a generated logout may have ended the last one). */
async function login(): Promise<void> {
  const auth = system.supervisor.url('auth-service');
  const tokens = await json(`${auth}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(SYSTEM_ADMIN),
  });
  creds.adminJwt = String(tokens['access_token']);
}

beforeAll(async () => {
  console.log(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED}), ${BUDGET_MS} ms per target`);
  // The shipped gateway config with its rate limits raised, so requests reach the services
  // (the limits have their own tests); everything else as shipped.
  configDir = mkdtempSync(join(tmpdir(), 'opsmesh-fuzz-'));
  const config = parse(readFileSync(join(REPO_ROOT, 'services/gateway/config/gateway.yaml'), 'utf8'));
  const raise = (plugins: { name: string; config?: Record<string, unknown> }[] | undefined) => {
    for (const p of plugins ?? []) {
      if (p.name === 'rate-limit')
        p.config = { ...p.config, second: 100_000, minute: 1_000_000, hour: 10_000_000 };
    }
  };
  raise(config.plugins);
  for (const service of config.services ?? []) {
    raise(service.plugins);
    for (const route of service.routes ?? []) raise(route.plugins);
  }
  writeFileSync(join(configDir, 'gateway.yaml'), stringify(config));
  system = await startSystem({ GATEWAY_CONFIG: join(configDir, 'gateway.yaml') });
  await login();
  const auth = system.supervisor.url('auth-service');
  const key = await json(`${auth}/api-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${creds.adminJwt}` },
    body: JSON.stringify({ name: 'fuzz' }),
  });
  creds.adminKey = String(key['key']);
  // A user the generated requests may change, disable or delete (never the admin they act as).
  const user = await json(`${auth}/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${creds.adminJwt}` },
    body: JSON.stringify({
      email: 'fuzz-target@opsmesh.test',
      display_name: 'Fuzz target',
      password: 'correct-horse-battery-staple-9',
      roles: ['viewer'],
    }),
  });
  known['id'] = [String(user['id'])];
  for (const s of [...SERVICES.map((x) => x.name), 'gateway']) {
    const base = s === 'gateway' ? system.gateway : system.supervisor.url(s);
    docs.set(s, await json(`${base}/docs/json`));
  }
}, 180_000);

afterAll(async () => {
  await system?.stop();
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

function describeRequest(req: FuzzRequest): string {
  const body =
    req.body === undefined
      ? 'no body'
      : `${req.body.length} bytes${req.chunked ? ' chunked' : ''}: ${JSON.stringify(req.body.subarray(0, 300).toString('utf8'))}`;
  return [
    `${req.method} ${req.target.length > 300 ? `${req.target.slice(0, 300)}…` : req.target}`,
    `  operation: ${req.operation}`,
    `  credential: ${req.credential}`,
    `  headers: ${JSON.stringify(req.headers).slice(0, 600)}`,
    `  body: ${body}`,
  ].join('\n');
}

async function healthy(): Promise<string[]> {
  const sick: string[] = [];
  for (const spec of system.supervisor.services) {
    for (const check of ['/health/live', '/health/ready']) {
      const url = `${system.supervisor.url(spec.name)}${check}`;
      const { value } = await eventually(
        () =>
          fetch(url, { signal: AbortSignal.timeout(5000) }).then(
            (r) => r.status,
            () => 0,
          ),
        (status) => status === 200,
        15_000,
      );
      if (value !== 200) sick.push(`${spec.name}${check} answered ${value || 'nothing'}`);
    }
  }
  return sick;
}

describe('fuzzing every service from its OpenAPI document', () => {
  targets.forEach((target, index) => {
    const run = ONLY && !target.name.includes(ONLY) ? it.skip : it;
    run(
      target.name,
      async () => {
        await login();
        const doc = target.doc();
        const ops = operationsOf(doc, target.prefix);
        expect(ops.length, `no operations under ${target.prefix} in the document`).toBeGreaterThan(0);
        const seen = new Map<string, Set<number>>();
        let sent = 0;
        const property = fc.asyncProperty(requestsFor(doc, ops, known), async (req) => {
          const answer: Answer = await send(target.base(), req, creds, ANSWER_BOUND_MS);
          sent++;
          if (answer.kind === 'answer') {
            const statuses = seen.get(req.operation) ?? new Set<number>();
            statuses.add(answer.status);
            seen.set(req.operation, statuses);
          }
          const path = req.target.split('?')[0]!;
          const fault = faultIn(answer, target.protocolOf(path));
          if (fault) throw new Error(fault);
        });
        const seed = SEED + index;
        const details = await fc.check(property, {
          seed,
          ...(process.env['FUZZ_PATH'] ? { path: process.env['FUZZ_PATH'] } : {}),
          numRuns: RUNS ?? 1_000_000,
          interruptAfterTimeLimit: BUDGET_MS,
          markInterruptAsFailure: false,
          // Shrinking re-sends requests; a bounded number of steps keeps a failing run short.
          endOnFailure: false,
        });
        const reached = [...seen.values()].filter((s) => [...s].some((x) => x < 300)).length;
        console.log(
          `${target.name}: ${sent} requests over ${ops.length} operations; ${seen.size} answered, ${reached} with a 2xx`,
        );
        if (details.failed) {
          const [req] = details.counterexample ?? [];
          throw new Error(
            [
              `${target.name}: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`,
              req ? describeRequest(req) : '(no counterexample)',
              `replay: FUZZ_SEED=${SEED} FUZZ_TARGET='${target.name}' FUZZ_PATH=${details.counterexamplePath} npx vitest run test/fuzz`,
            ].join('\n'),
          );
        }
        expect(await healthy(), 'services unhealthy after fuzzing').toEqual([]);
        // The generator must reach past validation, or the tier tests only the validators.
        if (!RUNS) expect(reached, 'operations answered with a 2xx at least once').toBeGreaterThan(0);
      },
      BUDGET_MS * 3 + 60_000,
    );
  });
});
