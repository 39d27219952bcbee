/**
 * The request path alone: the lean infer listener (`ML_LEAN_INFER=on`) against Fastify's route
 * (`off`), two opsmesh processes started in this run, on the shipped iris model, whose runs cost
 * microseconds, so what is measured is HTTP, parsing, checks, the hand-off and the answer. For
 * 1, 8 and 64 connections, rounds alternate which server goes first; each figure is the median
 * of the rounds: the main thread's CPU time per request (the event loop: the request path), the
 * whole process's, and requests/s. CPU per request hardly moves with the machine's load, unlike
 * the rates. Batching is on (the model's default) and off (a second model, the same bytes).
 *
 *   node --conditions=source --import tsx bench/ml/lean.ts
 *   (BENCH_ML_SECONDS per figure, default 3; BENCH_ML_ROUNDS, default 5; BENCH_ML_CONNECTIONS)
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestIdentity } from '@opsmesh/shared/testing';
import { load } from './load.js';
import { type RunningServer, startServer } from './server.js';

const SECONDS = Number(process.env['BENCH_ML_SECONDS'] ?? 3);
const ROUNDS = Number(process.env['BENCH_ML_ROUNDS'] ?? 5);
const CONNECTIONS = (process.env['BENCH_ML_CONNECTIONS'] ?? '1,8,64').split(',').map(Number);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const fmt = (n: number, d = 1) => n.toFixed(d);

const identity = await createTestIdentity();
const dataDir = await mkdtemp(join(tmpdir(), 'ml-lean-bench-'));
const servers: Record<'on' | 'off', RunningServer> = {} as never;
console.log(
  `ml lean bench: iris single-row infer, lean listener vs Fastify route, ${ROUNDS} rounds of ${SECONDS} s (load average ${loadavg()[0]!.toFixed(1)})`,
);
try {
  for (const lean of ['on', 'off'] as const) {
    servers[lean] = await startServer({
      OPSMESH_DATA_DIR: join(dataDir, lean),
      LOG_LEVEL: 'warn',
      AUTH_URL: new URL(identity.jwksUrl).origin,
      AUTH_PORT: new URL(identity.jwksUrl).port,
      JWT_ISSUER: identity.issuer,
      JWT_AUDIENCE: identity.audience,
      ML_PREDICTION_LOG_EVERY: '0',
      ML_LEAN_INFER: lean,
    });
  }
  const token = await identity.token({ roles: ['operator'], sub: 'usr_bench', expiresIn: 3600 });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const body = JSON.stringify({
    inputs: [{ name: 'features', datatype: 'FP32', shape: [1, 4], data: [5.1, 3.5, 1.4, 0.2] }],
  });
  // The same model with batching off, as `bench-mlp-off` in run.ts.
  for (const s of Object.values(servers)) {
    const bytes = await readFile(
      new URL('../../services/ml-service/models/iris-classifier.onnx', import.meta.url),
    );
    for (const [method, path, b, type] of [
      ['POST', '/models/iris-off/versions', bytes, 'application/octet-stream'],
      ['PATCH', '/models/iris-off', JSON.stringify({ batching: { enabled: false } }), 'application/json'],
    ] as const) {
      const r = await fetch(`${s.url}${path}`, {
        method,
        headers: { ...headers, 'content-type': type },
        body: b,
      });
      if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    }
  }
  console.log(
    '    conns  batching  path   req/s   main µs/req  process µs/req   (lean / Fastify: req/s, main, process)',
  );
  for (const connections of CONNECTIONS) {
    for (const model of ['iris-classifier', 'iris-off']) {
      const figures: Record<string, { rate: number[]; main: number[]; cpu: number[] }> = {
        on: { rate: [], main: [], cpu: [] },
        off: { rate: [], main: [], cpu: [] },
      };
      for (let round = 0; round < ROUNDS; round++) {
        for (const lean of round % 2 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
          const s = servers[lean];
          const opts = {
            url: `${s.url}/v2/models/${model}/infer`,
            method: 'POST' as const,
            headers,
            body,
            connections,
          };
          await load({ ...opts, seconds: 1 });
          const [cpu0, main0] = [s.cpuSeconds(), s.mainThreadCpuSeconds()];
          const r = await load({ ...opts, seconds: SECONDS });
          if (r.failed > 0) throw new Error(`${lean} ${model}: ${r.failed} failed`);
          figures[lean]!.rate.push(r.perSecond);
          figures[lean]!.main.push(((s.mainThreadCpuSeconds() - main0) * 1e6) / r.total);
          figures[lean]!.cpu.push(((s.cpuSeconds() - cpu0) * 1e6) / r.total);
        }
      }
      const m = (lean: string, k: 'rate' | 'main' | 'cpu') => median(figures[lean]![k]);
      for (const lean of ['on', 'off']) {
        console.log(
          `    ${String(connections).padStart(5)}  ${model === 'iris-off' ? 'off' : 'on '}       ${lean === 'on' ? 'lean ' : 'route'}  ${fmt(m(lean, 'rate'), 0).padStart(6)}  ${fmt(m(lean, 'main')).padStart(11)}  ${fmt(m(lean, 'cpu')).padStart(14)}${lean === 'off' ? `   ${fmt(m('on', 'rate') / m('off', 'rate'), 2)}x, ${fmt(m('on', 'main') / m('off', 'main'), 2)}x, ${fmt(m('on', 'cpu') / m('off', 'cpu'), 2)}x` : ''}`,
        );
      }
    }
  }
  console.log(`    (load average ${loadavg()[0]!.toFixed(1)} at the end)`);
} finally {
  for (const s of Object.values(servers)) await s.stop();
  await identity.close();
  await rm(dataDir, { recursive: true, force: true });
}
