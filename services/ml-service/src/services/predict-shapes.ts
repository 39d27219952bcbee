import { mlErrors } from '../errors.js';
import type { RequestTensor, ResponseTensor } from '../inference/tensor-codec.js';
import type { Resolved } from './registry-service.js';

/**
 * The friendly `/predict` shapes: rows (arrays, or objects keyed by the model's `features`
 * metadata) in, per-row predictions out, with class labels when the model names its classes.
 */

export function instancesToTensor(resolved: Resolved, instances: unknown): RequestTensor {
  const sig = resolved.version.inputs;
  const name = resolved.model.name;
  const input = sig[0]!;
  if (sig.length !== 1 || input.dims.length !== 2) {
    throw mlErrors.ML_PREDICT_UNSUPPORTED({ name, reason: 'it does not take exactly one 2-D input' });
  }
  if (!['FP32', 'FP64', 'INT32', 'INT64'].includes(input.datatype)) {
    throw mlErrors.ML_PREDICT_UNSUPPORTED({ name, reason: `its input is ${input.datatype}, not numeric` });
  }
  if (!Array.isArray(instances) || instances.length === 0) {
    throw mlErrors.ML_INVALID_INPUT({ message: '"instances" must be a non-empty array of rows' });
  }
  const features = resolved.version.metadata['features']?.split(',').map((f) => f.trim());
  const rows = instances.map((row, i) => {
    if (Array.isArray(row)) return row;
    if (row && typeof row === 'object') {
      if (!features) {
        throw mlErrors.ML_INVALID_INPUT({
          message: `instance ${i}: this model declares no feature names; send each row as an array`,
        });
      }
      const obj = row as Record<string, unknown>;
      const unknown = Object.keys(obj).filter((k) => !features.includes(k));
      if (unknown.length) {
        throw mlErrors.ML_INVALID_INPUT({
          message: `instance ${i}: unknown feature ${unknown.map((u) => `"${u}"`).join(', ')}; expected ${features.join(', ')}`,
        });
      }
      return features.map((f) => {
        if (!(f in obj))
          throw mlErrors.ML_INVALID_INPUT({ message: `instance ${i}: missing feature "${f}"` });
        return obj[f];
      });
    }
    throw mlErrors.ML_INVALID_INPUT({
      message: `instance ${i} must be an array of numbers or an object of named features`,
    });
  });
  const width = rows[0]!.length;
  const ragged = rows.findIndex((r) => r.length !== width);
  if (ragged >= 0) {
    throw mlErrors.ML_INVALID_INPUT({
      message: `instance ${ragged} has ${rows[ragged]!.length} values, instance 0 has ${width}`,
    });
  }
  return { name: input.name, datatype: input.datatype, shape: [rows.length, width], data: rows };
}

export function shapePredictions(resolved: Resolved, outputs: ResponseTensor[], rows: number) {
  const perRow = (o: ResponseTensor) => {
    const size = o.shape.slice(1).reduce((a, b) => a * b, 1);
    return Array.from({ length: rows }, (_, i) =>
      o.shape.length <= 1 ? o.data[i] : o.data.slice(i * size, (i + 1) * size),
    );
  };
  const first = outputs[0]!;
  const predictions = perRow(first);
  const classes = resolved.version.metadata['classes']?.split(',').map((c) => c.trim());
  const result: {
    model: string;
    version: number;
    alias: string | null;
    predictions: unknown[];
    labels?: string[];
    outputs?: Record<string, unknown[]>;
  } = {
    model: resolved.model.name,
    version: resolved.version.version,
    alias: resolved.alias ?? null,
    predictions,
  };
  const width = first.shape[first.shape.length - 1];
  if (classes && first.shape.length === 2 && width === classes.length) {
    result.labels = predictions.map((p) => {
      const row = p as number[];
      return classes[row.indexOf(Math.max(...row))]!;
    });
  }
  if (outputs.length > 1) result.outputs = Object.fromEntries(outputs.map((o) => [o.name, perRow(o)]));
  return result;
}
