/**
 * Where a single-row request's time goes, without HTTP: session.run of the bench MLP at batch 1
 * on this thread (the runtime's default options, and the workers' options with 1 and 2 threads),
 * the same through the worker pool at nice 0 and nice 10, and the pool's round trip with no run.
 *
 *   node --conditions=source --import tsx bench/ml/costs.ts   (BENCH_ML_RUNS runs per figure)
 */
import { availableParallelism, loadavg } from 'node:os';
import ort from 'onnxruntime-node';
import { createWorkerPool } from '../../services/ml-service/src/inference/worker-pool.js';
import { heavyModel, SIZES } from './models.js';

const RUNS = Number(process.env['BENCH_ML_RUNS'] ?? 2000);

const fmt = (n: number) => n.toFixed(3);
function summary(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
  return `p50 ${fmt(at(50))} ms  p90 ${fmt(at(90))}  p99 ${fmt(at(99))}`;
}

/** Times `runs` back-to-back calls, wall clock each, and the thread's CPU time per call. */
async function time(runs: number, f: () => Promise<unknown>): Promise<{ ms: number[]; cpuMs: number }> {
  for (let i = 0; i < 50; i++) await f();
  const ms: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    ms.push(performance.now() - t);
  }
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000 / runs };
}

const model = heavyModel();
const row = Float32Array.from({ length: SIZES[0] }, (_, i) => (i % 97) / 97);
console.log(
  `costs: MLP ${SIZES.join('->')}, batch 1, ${RUNS} runs per figure, ${availableParallelism()} CPUs, load average ${loadavg()[0]!.toFixed(1)}`,
);

const workerOptions = (threads: number): ort.InferenceSession.SessionOptions => ({
  intraOpNumThreads: threads,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
  executionMode: 'sequential',
  extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
});
for (const [name, options] of [
  ['this thread, default options', {}],
  ['this thread, worker options, 1 thread', workerOptions(1)],
  ['this thread, worker options, 2 threads', workerOptions(2)],
] as const) {
  const session = await ort.InferenceSession.create(model, options);
  const x = new ort.Tensor('float32', row, [1, SIZES[0]]);
  const r = await time(RUNS, () => session.run({ x }));
  console.log(`  ${name.padEnd(46)} ${summary(r.ms)}  (process CPU ${fmt(r.cpuMs)} ms/run)`);
  await session.release();
}

for (const [niceness, threads] of [
  [0, 1],
  [10, 1],
  [0, 2],
] as const) {
  const pool = createWorkerPool({ size: 1, settings: { intraOpThreads: threads }, niceness });
  await pool.load('m', model);
  const inWorker: number[] = [];
  const r = await time(RUNS, async () => {
    const res = await pool.run('m', { x: { type: 'float32', dims: [1, SIZES[0]], data: row.slice() } });
    inWorker.push(res.runMs);
  });
  console.log(
    `  pool, nice ${String(niceness).padEnd(2)}, ${threads} thread(s), round trip            ${summary(r.ms)}`,
  );
  console.log(`           session.run inside the worker            ${summary(inWorker.slice(50))}`);
  const noop = await time(RUNS, () => pool.sleep(0));
  console.log(
    `           no-op task round trip                    ${summary(noop.ms)}  (process CPU ${fmt(noop.cpuMs)} ms/task)`,
  );
  await pool.close();
}
