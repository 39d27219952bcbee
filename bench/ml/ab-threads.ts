/**
 * One single-row run of the bench MLP on this thread, by session options, in alternating blocks
 * of 100 runs so a busy machine weighs on every variant alike: the runtime's defaults (what the
 * peer uses: a thread per core, spinning), and the workers' options with 1 and 2 threads, not
 * spinning and spinning. Prints the lowest and the median block p50.
 *
 *   node --conditions=source --import tsx bench/ml/ab-threads.ts
 */
import ort from 'onnxruntime-node';
import { heavyModel, SIZES } from './models.js';

const model = heavyModel();
const row = Float32Array.from({ length: SIZES[0] }, (_, i) => (i % 97) / 97);
const opts = (threads: number, spin: boolean): ort.InferenceSession.SessionOptions => ({
  intraOpNumThreads: threads,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
  executionMode: 'sequential',
  extra: { session: { intra_op: { allow_spinning: spin ? '1' : '0' }, inter_op: { allow_spinning: '0' } } },
});
const variants: [string, ort.InferenceSession][] = [];
for (const [name, o] of [
  ['runtime defaults', {}],
  ['1 thread', opts(1, false)],
  ['2 threads', opts(2, false)],
  ['2 threads, spinning', opts(2, true)],
] as const)
  variants.push([name, await ort.InferenceSession.create(model, o)]);
const x = new ort.Tensor('float32', row, [1, SIZES[0]]);
const blocks = new Map<string, number[]>(variants.map(([name]) => [name, []]));
for (let block = 0; block < 12; block++) {
  for (const [name, s] of variants) {
    for (let i = 0; i < 10; i++) await s.run({ x });
    const ms: number[] = [];
    for (let i = 0; i < 100; i++) {
      const t = performance.now();
      await s.run({ x });
      ms.push(performance.now() - t);
    }
    ms.sort((a, b) => a - b);
    blocks.get(name)!.push(ms[50]!);
  }
}
for (const [name, m] of blocks) {
  m.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(20)} lowest block p50 ${m[0]!.toFixed(3)} ms, median block p50 ${m[6]!.toFixed(3)} ms`,
  );
}
for (const [, s] of variants) await s.release();
