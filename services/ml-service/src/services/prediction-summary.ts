import type { TensorMap } from '../inference/tensor.js';
import { tensorValues } from '../inference/tensor-codec.js';
import type { TensorSignature } from '../onnx/signature-reader.js';

/** What the prediction log keeps of a request: input statistics and the head of each output. */

export function summarize(feeds: TensorMap) {
  return Object.entries(feeds).map(([name, t]) => {
    const values = Array.isArray(t.data) ? [] : Array.from(t.data as Float32Array, Number);
    const finite = values.filter(Number.isFinite);
    return {
      name,
      type: t.type,
      shape: t.dims,
      min: finite.length ? Math.min(...finite.slice(0, 100_000)) : null,
      max: finite.length ? Math.max(...finite.slice(0, 100_000)) : null,
      mean: finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : null,
      head: values.slice(0, 16),
    };
  });
}

const HEAD = 1000;

/** The first values of each output, as JSON can store them (exact INT64 as text, NaN as "NaN"). */
export function logOutputs(signature: readonly TensorSignature[], outputs: TensorMap) {
  return signature
    .filter((o) => outputs[o.name])
    .map((o) => {
      const t = outputs[o.name]!;
      const data = tensorValues({ ...t, data: t.data.slice(0, HEAD) as typeof t.data }, o.datatype).map(
        (v) => (typeof v === 'bigint' || (typeof v === 'number' && !Number.isFinite(v)) ? String(v) : v),
      );
      return { name: o.name, datatype: o.datatype, shape: t.dims, data, truncated: t.data.length > HEAD };
    });
}
