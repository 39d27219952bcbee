/**
 * Single-row runs of the bench MLP through the worker pool, closed loop, each answer followed by
 * BURN_MS (default 0.1) of main-thread work standing in for the HTTP side of a request; rounds
 * alternate between the layouts so a busy machine weighs on each alike:
 *  - two 1-thread workers, two runs at once (one per worker, one copy of the weights each);
 *  - one 2-thread worker, one run at a time (the next sent when the last is answered);
 *  - one 2-thread worker, two runs sent at once (the second queued in the worker);
 *  - two 2-thread workers, two runs at once.
 *
 *   node --conditions=source --import tsx bench/ml/ab-pool.ts
 */
import { createWorkerPool, type WorkerPool } from '../../services/ml-service/src/inference/worker-pool.js';
import { heavyModel, SIZES } from './models.js';

const BURN_MS = Number(process.env['BURN_MS'] ?? 0.1);
const model = heavyModel();
const row = Float32Array.from({ length: SIZES[0] }, (_, i) => (i % 97) / 97);
const layouts: { name: string; pool: WorkerPool; inFlight: number; rates: number[] }[] = [];
for (const [name, size, threads, inFlight] of [
  ['2 workers x 1 thread, 2 at once', 2, 1, 2],
  ['1 worker x 2 threads, 1 at once', 1, 2, 1],
  ['1 worker x 2 threads, 2 queued', 1, 2, 2],
  ['2 workers x 2 threads, 2 at once', 2, 2, 2],
] as const) {
  const pool = createWorkerPool({ size, settings: { intraOpThreads: threads }, niceness: 10 });
  await pool.load('m', model);
  layouts.push({ name, pool, inFlight, rates: [] });
}
const feeds = () => ({ x: { type: 'float32' as const, dims: [1, SIZES[0]], data: row.slice() } });
const burn = () => {
  const end = performance.now() + BURN_MS;
  while (performance.now() < end) {
    // standing in for parsing and writing a request
  }
};
async function rate(pool: WorkerPool, inFlight: number, ms: number): Promise<number> {
  let n = 0;
  const end = performance.now() + ms;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < end) {
        await pool.run('m', feeds());
        burn();
        n++;
      }
    }),
  );
  return n / (ms / 1000);
}
for (let round = 0; round < 4; round++) {
  for (const l of layouts) {
    await rate(l.pool, l.inFlight, 200);
    l.rates.push(await rate(l.pool, l.inFlight, 1000));
  }
}
for (const l of layouts) {
  l.rates.sort((a, b) => a - b);
  console.log(
    `${l.name.padEnd(34)} runs/s: best ${l.rates.at(-1)!.toFixed(0)}, median ${l.rates[2]!.toFixed(0)}`,
  );
}
for (const l of layouts) await l.pool.close();
