import { v2ToOrt } from '../onnx/data-types.js';
import type { TensorSignature } from '../onnx/signature-reader.js';
import { allocate, elementCount, type PlainTensor, type TensorMap } from './tensor.js';

/**
 * Whether a model version may be micro-batched: merging requests along dimension 0 and slicing
 * the outputs back by rows is only right when every output row belongs to the input row at the
 * same index. A reduction over the batch, NonZero or a detection list breaks that, and slicing
 * such outputs would hand callers each other's answers.
 *
 * - `auto` (the default) batches when the declared shapes show it (every input and every output
 *   has the same named symbolic first dimension) and a check at load agrees;
 * - `on` trusts the check at load alone (for exporters that leave output dims unnamed);
 * - `off` never batches.
 * The check at load runs the model on two distinct rows together and on each row alone, and
 * batches only when the answers match row for row.
 */

export type BatchingMode = 'on' | 'off' | 'auto';

export interface BatchingDecision {
  mode: BatchingMode;
  enabled: boolean;
  reason: string;
}

interface Signature {
  inputs: readonly TensorSignature[];
  outputs: readonly TensorSignature[];
}

const firstDim = (t: TensorSignature) => t.dims[0];

/** What the declared shapes allow, before anything runs: a reason when they rule batching out. */
export function declaredBlocker(sig: Signature, mode: BatchingMode): string | undefined {
  if (sig.inputs.length === 0) return 'the model takes no inputs';
  for (const i of sig.inputs) {
    const d = firstDim(i);
    if (!d || !('param' in d)) return `input "${i.name}" has no symbolic first dimension`;
  }
  const optional = sig.outputs.find((o) => o.optional);
  if (optional) return `output "${optional.name}" is optional, so a batch's answer cannot be split by rows`;
  if (mode === 'on') return undefined;
  const names = new Set(sig.inputs.map((i) => (firstDim(i) as { param: string }).param));
  const [batch] = names;
  if (names.size > 1) return `the inputs' first dimensions have different names (${[...names].join(', ')})`;
  if (!batch) return `the inputs' first dimension is unnamed; set batching "on" to rely on the check at load`;
  for (const o of sig.outputs) {
    const d = firstDim(o);
    if (!d)
      return `output "${o.name}" declares no batch dimension (it is a scalar, or its shape is not declared)`;
    if (!('param' in d) || d.param !== batch)
      return `output "${o.name}" does not keep the batch dimension "${batch}" first (it declares ${'param' in d ? `"${d.param || '?'}"` : d.value})`;
  }
  return undefined;
}

/** Two distinct rows of every input; other symbolic dimensions are 1. */
function probeFeeds(sig: Signature, rows: number, firstRow: number): TensorMap {
  const feeds: TensorMap = {};
  for (const input of sig.inputs) {
    const dims = [rows, ...input.dims.slice(1).map((d) => ('value' in d && d.value > 0 ? d.value : 1))];
    const type = v2ToOrt(input.datatype);
    const data = allocate(type, elementCount(dims));
    const perRow = data.length / rows;
    for (let i = 0; i < data.length; i++) {
      const row = firstRow + Math.floor(i / perRow);
      // Small values: integer inputs are often indices. Row 0 and row 1 always differ.
      const v = (row + (i % perRow)) % 2;
      if (Array.isArray(data)) data[i] = `r${v}`;
      else if (data instanceof BigInt64Array || data instanceof BigUint64Array) data[i] = BigInt(v);
      else if (data instanceof Float32Array || data instanceof Float64Array)
        data[i] = v * 0.75 + row * 0.125 + 0.25;
      else if (type === 'float16') data[i] = v ? 0x3c00 : 0x3800;
      else data[i] = v;
    }
    feeds[input.name] = { type, dims, data };
  }
  return feeds;
}

function same(a: PlainTensor['data'], ai: number, b: PlainTensor['data'], bi: number): boolean {
  const x = a[ai];
  const y = b[bi];
  if (typeof x === 'number' && typeof y === 'number') {
    if (Number.isNaN(x) && Number.isNaN(y)) return true;
    // Batched kernels may sum in another order: allow float rounding.
    return Math.abs(x - y) <= 1e-5 + 1e-4 * Math.max(Math.abs(x), Math.abs(y));
  }
  return x === y;
}

/** Why a 2-row answer is not the two 1-row answers stacked, or undefined when it is. */
function mismatch(name: string, both: PlainTensor | undefined, one: PlainTensor[]): string | undefined {
  if (!both || one.some((t) => !t)) return `output "${name}" is not produced on every run`;
  const tail = (t: PlainTensor) => t.dims.slice(1).join(',');
  if (both.dims[0] !== 2 || one.some((t) => t.dims[0] !== 1 || tail(t) !== tail(both))) {
    return `output "${name}" has shape [${both.dims.join(',')}] for 2 rows and [${one[0]!.dims.join(',')}], [${one[1]!.dims.join(',')}] for 1 row each`;
  }
  const size = elementCount(one[0]!.dims);
  for (let r = 0; r < 2; r++) {
    for (let i = 0; i < size; i++) {
      if (!same(both.data, r * size + i, one[r]!.data, i))
        return `row ${r} of output "${name}" differs between a 2-row run and a 1-row run`;
    }
  }
  return undefined;
}

/** Runs the row check: undefined when two rows together answer as each alone, else why not. */
export async function rowCheck(
  sig: Signature,
  run: (feeds: TensorMap) => Promise<TensorMap>,
): Promise<string | undefined> {
  let both: TensorMap;
  let one: TensorMap[];
  try {
    both = await run(probeFeeds(sig, 2, 0));
    one = [await run(probeFeeds(sig, 1, 0)), await run(probeFeeds(sig, 1, 1))];
  } catch (err) {
    return `the check at load could not run the model on sample rows (${(err as Error).message.slice(0, 200)})`;
  }
  for (const o of sig.outputs) {
    const why = mismatch(o.name, both[o.name], [one[0]![o.name]!, one[1]![o.name]!]);
    if (why) return why;
  }
  return undefined;
}

/**
 * The decision for one loaded version.
 *
 * @example
 * await decideBatching(sig, 'auto', true, run) // { mode: 'auto', enabled: true, reason: 'every output keeps ...' }
 */
export async function decideBatching(
  sig: Signature,
  mode: BatchingMode,
  modelAllows: boolean,
  run: (feeds: TensorMap) => Promise<TensorMap>,
): Promise<BatchingDecision> {
  if (mode === 'off') return { mode, enabled: false, reason: 'batching is off for this version' };
  if (!modelAllows) return { mode, enabled: false, reason: 'batching is off for this model' };
  const blocker = declaredBlocker(sig, mode);
  if (blocker) return { mode, enabled: false, reason: blocker };
  const failed = await rowCheck(sig, run);
  if (failed) return { mode, enabled: false, reason: failed };
  return {
    mode,
    enabled: true,
    reason:
      mode === 'on'
        ? 'two rows run together answered as each alone (checked at load)'
        : "every output keeps the inputs' batch dimension, and two rows run together answered as each alone (checked at load)",
  };
}
