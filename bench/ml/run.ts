/**
 * ML service benchmark (issues 3 and 13). One run prints:
 *  (a) the compute limit: rows/s of raw in-process session.run at batch 1, 32 and 256 on a
 *      512->2048->2048->10 MLP built here from a fixed seed; and the HTTP limit: requests/s of a
 *      trivial JSON route (GET /v2/health/live) on the same server;
 *  (b) opsmesh against the peer a user would write instead (peer-server.ts: node:http, one
 *      InferenceSession, JSON in and out, no batching) on the same model, started in this run:
 *      rows/s, p50 and p99 of single-row POST /v2/models/{m}/infer at 1, 8 and 64 connections,
 *      with micro-batching on and off, in alternating rounds, and each server's CPU time per row,
 *      of all its threads and of its main thread alone (the request path; the peer's includes its
 *      runs, as does opsmesh's for lone requests run on the event loop);
 *  (c) batching on at 64 connections against the shared-core ceiling 1/(1/compute@32 + 1/HTTP);
 *  (d) binary tensor data extension against JSON, requests/s for a 64 KiB FP32 tensor each way.
 * Both servers are real processes; opsmesh's tokens come from a local JWKS. Every phase is
 * bounded in time.
 *
 *   npm run bench -w ml-service      (BENCH_ML_SECONDS per figure, BENCH_ML_ROUNDS alternations;
 *   BENCH_ML_INTRA_OP_THREADS, BENCH_ML_UNBATCHED_INTRA_OP_THREADS and BENCH_ML_RUNS_IN_FLIGHT set
 *   the server's ML_INTRA_OP_THREADS, ML_UNBATCHED_INTRA_OP_THREADS and ML_MAX_RUNS_IN_FLIGHT, to
 *   compare one run on every core against one run per core; BENCH_ML_INLINE_RUN_MAX_MS its
 *   ML_INLINE_RUN_MAX_MS, 0 to keep every run on the workers)
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestIdentity } from '@opsmesh/shared/testing';
import ort from 'onnxruntime-node';
import { createPrng, gaussian } from '../../services/ml-service/src/training/prng.js';
import { type LoadResult, load } from './load.js';
import { heavyModel, SEED, SIZES, WIDE, wideModel } from './models.js';
import { type RunningServer, startPeer, startServer } from './server.js';

const WORKERS = Number(process.env['BENCH_ML_WORKERS'] ?? availableParallelism());
const LOAD_SECONDS = Number(process.env['BENCH_ML_SECONDS'] ?? 5);
const ROUNDS = Number(process.env['BENCH_ML_ROUNDS'] ?? 3);
/** Threads per batched and unbatched run, runs of one version at once in opsmesh (0 = by CPUs). */
const INTRA_OP_THREADS = Number(process.env['BENCH_ML_INTRA_OP_THREADS'] ?? 0);
const UNBATCHED_THREADS = Number(process.env['BENCH_ML_UNBATCHED_INTRA_OP_THREADS'] ?? 0);
const RUNS_IN_FLIGHT = Number(process.env['BENCH_ML_RUNS_IN_FLIGHT'] ?? 0);
/** Longest single-row run that may go on the event loop of an idle opsmesh (the service's default: 2). */
const INLINE_RUN_MAX_MS = process.env['BENCH_ML_INLINE_RUN_MAX_MS'] ?? '2';
/**
 * BENCH_ML_COMPARE="ML_INTRA_OP_THREADS=2,ML_MAX_RUNS_IN_FLIGHT=1" starts a second opsmesh with
 * those settings changed and measures it in the same alternating rounds ("compare" in (b)).
 */
const COMPARE = process.env['BENCH_ML_COMPARE']
  ? Object.fromEntries(
      process.env['BENCH_ML_COMPARE'].split(',').map((kv) => kv.split('=', 2) as [string, string]),
    )
  : undefined;
/** Connection counts of (b); BENCH_ML_CONNECTIONS=1 measures one alone while working on it. */
const CONNECTIONS = (process.env['BENCH_ML_CONNECTIONS'] ?? '1,8,64').split(',').map(Number);

function row(i: number): number[] {
  const rand = createPrng(i + 1);
  return Array.from({ length: SIZES[0] }, () => Math.round(rand() * 1000) / 1000);
}

/** rows/s of back-to-back session.run at one batch size, for about `ms` (and at most 5000 runs). */
async function rawThroughput(session: ort.InferenceSession, batch: number, ms: number): Promise<number> {
  const x = new ort.Tensor(
    'float32',
    Float32Array.from({ length: batch * SIZES[0] }, (_, i) => (i % 97) / 97),
    [batch, SIZES[0]],
  );
  await session.run({ x });
  let runs = 0;
  const started = performance.now();
  while (performance.now() - started < ms && runs < 5000) {
    await session.run({ x });
    runs++;
  }
  return (runs * batch) / ((performance.now() - started) / 1000);
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');

async function main() {
  const model = heavyModel();
  console.log(
    `ml bench: MLP ${SIZES.join('->')} (seed ${SEED}, ${fmt(model.length / 1e6, 1)} MB), ${availableParallelism()} CPUs (load average ${loadavg()[0]!.toFixed(1)}), opsmesh ${WORKERS} inference workers x ${INTRA_OP_THREADS || 'a thread per CPU'} per batched run, ${UNBATCHED_THREADS || 'a thread per CPU'} per unbatched run, runs in flight ${RUNS_IN_FLIGHT || 'by CPUs'}, lone single-row runs on the event loop up to ${INLINE_RUN_MAX_MS} ms${COMPARE ? `; compared with ${JSON.stringify(COMPARE)}` : ''}, ${ROUNDS} rounds of ${LOAD_SECONDS} s per figure`,
  );

  // (a) compute limit: the same total threads as the server's workers, in-process, no HTTP.
  const raw = await ort.InferenceSession.create(model, {
    intraOpNumThreads: WORKERS,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  const rawRows: Record<number, number> = {};
  for (const batch of [1, 32, 256]) rawRows[batch] = await rawThroughput(raw, batch, 2500);
  await raw.release();

  const identity = await createTestIdentity();
  const dataDir = await mkdtemp(join(tmpdir(), 'ml-bench-'));
  const modelPath = join(dataDir, 'bench-mlp.onnx');
  await writeFile(modelPath, model);
  const started: RunningServer[] = [];
  try {
    const serverEnv = {
      OPSMESH_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      AUTH_URL: new URL(identity.jwksUrl).origin,
      // Static discovery finds the auth service by its port.
      AUTH_PORT: new URL(identity.jwksUrl).port,
      JWT_ISSUER: identity.issuer,
      JWT_AUDIENCE: identity.audience,
      ML_WORKERS: String(WORKERS),
      ML_INTRA_OP_THREADS: String(INTRA_OP_THREADS),
      ML_UNBATCHED_INTRA_OP_THREADS: String(UNBATCHED_THREADS),
      ML_MAX_RUNS_IN_FLIGHT: String(RUNS_IN_FLIGHT),
      ML_INLINE_RUN_MAX_MS: INLINE_RUN_MAX_MS,
      ML_MAX_BATCH: '32',
      ML_MAX_QUEUE_DELAY_MS: '2',
      ML_PREDICTION_LOG_EVERY: '0',
      ML_BOOTSTRAP_IRIS: 'false',
    };
    const server = await startServer(serverEnv);
    started.push(server);
    // A second opsmesh with some settings changed, measured in the same alternating rounds.
    const other = COMPARE
      ? await startServer({ ...serverEnv, OPSMESH_DATA_DIR: join(dataDir, 'compare'), ...COMPARE })
      : undefined;
    if (other) started.push(other);
    const peer = await startPeer(modelPath);
    started.push(peer);

    const token = await identity.token({ roles: ['operator'], sub: 'usr_bench', expiresIn: 3600 });
    const auth = { authorization: `Bearer ${token}` };
    const call = async (
      base: string,
      method: string,
      path: string,
      body: Uint8Array | object,
      type = 'application/json',
    ) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { ...auth, 'content-type': type },
        body: body instanceof Uint8Array ? body : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${method} ${path} answered ${res.status} ${await res.text()}`);
    };
    // The same model twice: batching on (the default for it) and off, both loaded before the load.
    for (const base of [server.url, ...(other ? [other.url] : [])]) {
      for (const [name, bytes] of [
        ['bench-mlp', model],
        ['bench-mlp-off', model],
        ['bench-wide', wideModel()],
      ] as const) {
        await call(base, 'POST', `/models/${name}/versions`, bytes, 'application/octet-stream');
      }
      await call(base, 'PATCH', '/models/bench-mlp-off', { batching: { enabled: false } });
      for (const name of ['bench-mlp', 'bench-mlp-off', 'bench-wide'])
        await call(base, 'POST', `/v2/repository/models/${name}/load`, {});
    }

    const http = await load({ url: `${server.url}/v2/health/live`, connections: 64, seconds: LOAD_SECONDS });
    console.log(`(a) compute limit, raw in-process session.run (${WORKERS} intra-op threads):`);
    for (const b of [1, 32, 256])
      console.log(`    batch ${String(b).padStart(3)}: ${fmt(rawRows[b]!)} rows/s`);
    console.log(`    HTTP limit, GET /v2/health/live, 64 connections: ${fmt(http.perSecond)} req/s`);

    // (b) the same single-row request to each; the peer needs no token but is sent the same headers.
    const body = JSON.stringify({
      inputs: [{ name: 'x', datatype: 'FP32', shape: [1, SIZES[0]], data: row(7) }],
    });
    const targets = {
      peer: `${peer.url}/v2/models/peer/infer`,
      on: `${server.url}/v2/models/bench-mlp/infer`,
      off: `${server.url}/v2/models/bench-mlp-off/infer`,
      onOther: `${other?.url}/v2/models/bench-mlp/infer`,
      offOther: `${other?.url}/v2/models/bench-mlp-off/infer`,
    };
    type Target = keyof typeof targets;
    const order: Target[] = other ? ['peer', 'on', 'off', 'onOther', 'offOther'] : ['peer', 'on', 'off'];
    const processOf = { peer, on: server, off: server, onOther: other!, offOther: other! };
    const results = new Map<string, (LoadResult & { cpuMs: number; mainMs: number })[]>();
    for (const connections of CONNECTIONS) {
      for (let round = 0; round < ROUNDS; round++) {
        // Each round starts with a different server, so none is always measured first or last.
        for (let k = 0; k < order.length; k++) {
          const target = order[(round + k) % order.length]!;
          const opts = {
            url: targets[target],
            method: 'POST' as const,
            headers: { ...auth, 'content-type': 'application/json' },
            body,
            connections,
          };
          await load({ ...opts, seconds: 1 });
          const cpuBefore = processOf[target].cpuSeconds();
          const mainBefore = processOf[target].mainThreadCpuSeconds();
          const r = await load({ ...opts, seconds: LOAD_SECONDS });
          // CPU time per answer hardly moves with the machine's load, unlike the rates; the main
          // thread's share is the request path (HTTP, parsing, the service's work), without the runs.
          const cpuMs = ((processOf[target].cpuSeconds() - cpuBefore) * 1000) / r.total;
          const mainMs = ((processOf[target].mainThreadCpuSeconds() - mainBefore) * 1000) / r.total;
          const key = `${target}@${connections}`;
          results.set(key, [...(results.get(key) ?? []), { ...r, cpuMs, mainMs }]);
        }
      }
    }
    const cell = (target: Target, connections: number) => {
      const rs = results.get(`${target}@${connections}`)!;
      return {
        rate: median(rs.map((r) => r.perSecond)),
        p50: median(rs.map((r) => r.p50)),
        p99: median(rs.map((r) => r.p99)),
        cpuMs: median(rs.map((r) => r.cpuMs)),
        mainMs: median(rs.map((r) => r.mainMs)),
        failed: rs.reduce((n, r) => n + r.failed, 0),
        /** Rounds in which this target beat the peer's figure of the same round. */
        wins: rs.filter((r, i) => r.perSecond >= results.get(`peer@${connections}`)![i]!.perSecond).length,
      };
    };
    console.log(
      `(b) POST /v2/models/{m}/infer, single-row requests, against the peer (node:http + one InferenceSession), median of ${ROUNDS} rounds:`,
    );
    console.log(
      '    conns  server        rows/s    p50 ms   p99 ms  CPU ms/row  main ms/row   x peer  (rounds >= peer)  failed',
    );
    for (const connections of CONNECTIONS) {
      const peerCell = cell('peer', connections);
      for (const target of order) {
        const c = cell(target, connections);
        const name = {
          peer: 'peer',
          on: 'batching on',
          off: 'batching off',
          onOther: 'on, compare',
          offOther: 'off, compare',
        }[target];
        console.log(
          `    ${String(connections).padStart(5)}  ${name.padEnd(12)} ${fmt(c.rate).padStart(8)}  ${fmt(c.p50, 2).padStart(7)}  ${fmt(c.p99, 2).padStart(7)}  ${fmt(c.cpuMs, 3).padStart(10)}  ${fmt(c.mainMs, 3).padStart(11)}  ${target === 'peer' ? '       ' : `${fmt(c.rate / peerCell.rate, 2).padStart(6)}x`}  ${target === 'peer' ? '' : `${c.wins}/${ROUNDS}`.padStart(16)}  ${c.failed}`,
        );
      }
    }
    if (CONNECTIONS.includes(64)) {
      const on64 = cell('on', 64).rate / cell('peer', 64).rate;
      console.log(
        `    batching on, 64 connections: ${fmt(on64, 2)}x the peer (target >= 3x: ${verdict(on64 >= 3)})`,
      );
    }
    const offWorst = Math.min(...CONNECTIONS.map((c) => cell('off', c).rate / cell('peer', c).rate));
    console.log(
      `    batching off, lowest across 1/8/64 connections: ${fmt(offWorst, 2)}x the peer (target >= 1.0x: ${verdict(offWorst >= 1)})`,
    );
    if (CONNECTIONS.includes(1)) {
      for (const target of ['on', 'off'] as const) {
        const extra = cell(target, 1).p50 - cell('peer', 1).p50;
        console.log(
          `    p50 at 1 connection, batching ${target}: ${fmt(extra, 2)} ms over the peer's (target <= 0.3 ms: ${verdict(extra <= 0.3)})`,
        );
      }
    }

    // (c) client, HTTP thread and runs share the same cores, so a request that costs at least a
    // trivial GET plus its row of compute cannot go faster than 1 / (1/compute + 1/HTTP).
    if (CONNECTIONS.includes(64)) {
      const ceiling = 1 / (1 / rawRows[32]! + 1 / http.perSecond);
      const onCeiling = cell('on', 64).rate / ceiling;
      console.log(
        `(c) shared-core ceiling 1/(1/compute@32 + 1/HTTP) = ${fmt(ceiling)} rows/s; batching on at 64 connections reaches ${fmt(onCeiling, 2)} of it (target >= 0.8: ${verdict(onCeiling >= 0.8)})`,
      );
    }

    // BENCH_ML_WIDE=0 leaves (d) out.
    if (process.env['BENCH_ML_WIDE'] !== '0') {
      // (d) a 64 KiB FP32 tensor in and out, as JSON numbers or as binary tensor data.
      const rand = createPrng(SEED);
      const wide = Float32Array.from({ length: WIDE }, () => gaussian(rand));
      const jsonBody = JSON.stringify({
        inputs: [{ name: 'x', datatype: 'FP32', shape: [1, WIDE], data: Array.from(wide) }],
      });
      const header = Buffer.from(
        JSON.stringify({
          inputs: [
            {
              name: 'x',
              datatype: 'FP32',
              shape: [1, WIDE],
              parameters: { binary_data_size: wide.byteLength },
            },
          ],
          parameters: { binary_data_output: true },
        }),
      );
      const binaryBody = Buffer.concat([header, Buffer.from(wide.buffer)]);
      const wideUrl = `${server.url}/v2/models/bench-wide/infer`;
      const kinds = {
        json: { headers: { ...auth, 'content-type': 'application/json' }, body: jsonBody },
        binary: {
          headers: {
            ...auth,
            'content-type': 'application/octet-stream',
            'inference-header-content-length': String(header.length),
          },
          body: binaryBody,
        },
      };
      const wideRates: Record<keyof typeof kinds, number[]> = { json: [], binary: [] };
      for (let round = 0; round < ROUNDS; round++) {
        for (const kind of round % 2 ? (['binary', 'json'] as const) : (['json', 'binary'] as const)) {
          const opts = { url: wideUrl, method: 'POST' as const, connections: 8, ...kinds[kind] };
          await load({ ...opts, seconds: 1 });
          const r = await load({ ...opts, seconds: LOAD_SECONDS });
          if (r.failed > 0) throw new Error(`${kind} 64 KiB requests failed: ${r.failed}`);
          wideRates[kind].push(r.perSecond);
        }
      }
      const [jsonRate, binaryRate] = [median(wideRates.json), median(wideRates.binary)];
      console.log(
        `(d) 64 KiB FP32 tensor in and out, 8 connections: JSON ${fmt(jsonRate)} req/s (${fmt(jsonBody.length / 1024)} KiB bodies), binary ${fmt(binaryRate)} req/s: ${fmt(binaryRate / jsonRate, 2)}x (target >= 3x: ${verdict(binaryRate / jsonRate >= 3)})`,
      );
    }
  } finally {
    for (const s of started) await s.stop();
    await identity.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
