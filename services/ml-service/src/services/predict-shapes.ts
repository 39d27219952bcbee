import { mlErrors } from '../errors.js';
import { elementCount, type PlainTensor } from '../inference/tensor.js';
import { isList, type JsValue, type RequestTensor, tensorValues } from '../inference/tensor-codec.js';
import type { TensorSignature } from '../onnx/signature-reader.js';
import type { Resolved } from './registry-service.js';

/**
 * The friendly `/predict` shapes, for any model. Each instance is one row: for a model with one
 * input, the row itself (an array of any depth, or an object of named features when the model
 * declares `features` metadata); for any model, an object keyed by input name
 * (`{"input_ids": [...], "attention_mask": [...]}`). Rows are stacked along the first dimension.
 * Answers come back per row, with class labels where the model declares them.
 */

const invalid = (message: string) => mlErrors.ML_INVALID_INPUT({ message });

function shapeOf(v: unknown): number[] {
  const shape: number[] = [];
  let x = v;
  while (isList(x)) {
    shape.push(x.length);
    x = x[0];
  }
  return shape;
}

function featureRow(resolved: Resolved, row: Record<string, unknown>, i: number): unknown[] {
  const features = resolved.version.metadata['features']?.split(',').map((f) => f.trim());
  const inputs = resolved.version.inputs.map((s) => `"${s.name}"`).join(', ');
  if (!features) {
    throw invalid(
      `instance ${i}: unknown key ${Object.keys(row)
        .map((k) => `"${k}"`)
        .join(', ')}; name the model's inputs (${inputs}) or send the row as an array`,
    );
  }
  const unknown = Object.keys(row).filter((k) => !features.includes(k));
  if (unknown.length) {
    throw invalid(
      `instance ${i}: unknown feature ${unknown.map((u) => `"${u}"`).join(', ')}; expected ${features.join(', ')}`,
    );
  }
  return features.map((f) => {
    if (!(f in row)) throw invalid(`instance ${i}: missing feature "${f}"`);
    return row[f];
  });
}

/** The rows of each input, one per instance. */
function rowsByInput(resolved: Resolved, instances: unknown[]): Map<string, unknown[]> {
  const sig = resolved.version.inputs;
  const byInput = new Map<string, unknown[]>(sig.map((s) => [s.name, []]));
  const names = new Set(sig.map((s) => s.name));
  instances.forEach((row, i) => {
    const isObject = row !== null && typeof row === 'object' && !isList(row);
    if (
      isObject &&
      Object.keys(row).every((k) => names.has(k)) &&
      (sig.length > 1 || Object.keys(row).length > 0)
    ) {
      for (const s of sig) {
        if (!(s.name in (row as object)))
          throw invalid(
            `instance ${i}: missing input "${s.name}"; the model takes ${[...names].map((n) => `"${n}"`).join(', ')}`,
          );
        byInput.get(s.name)!.push((row as Record<string, unknown>)[s.name]);
      }
    } else if (sig.length === 1) {
      byInput
        .get(sig[0]!.name)!
        .push(isObject ? featureRow(resolved, row as Record<string, unknown>, i) : row);
    } else {
      throw invalid(
        `instance ${i}: this model takes ${sig.length} inputs; send each instance as an object keyed by ${[...names].map((n) => `"${n}"`).join(', ')}`,
      );
    }
  });
  return byInput;
}

/** The shape a model declares for an input, as written in messages: `1,3` or `batch,?`. */
const declaredShape = (s: TensorSignature) =>
  s.dims.map((d) => ('value' in d ? d.value : d.param || '?')).join(',');

function stack(s: TensorSignature, given: unknown[]): RequestTensor {
  let rows = given;
  const d0 = s.dims[0];
  // A row of a rank-1 input ([N]: tf2onnx and skl2onnx label encoders) is one value; the body
  // schema has already wrapped a value given alone as [value], which is unwrapped again.
  if (s.dims.length === 1 && d0 && 'param' in d0 && rows.every((r) => isList(r) && r.length === 1))
    rows = rows.map((r) => (r as ArrayLike<unknown>)[0]);
  let rowShape = shapeOf(rows[0]);
  // An input without a batch dimension (a scalar, or a fixed first dimension given in full) is
  // one whole tensor: one instance, sent as it is.
  if ((s.dims.length === 0 && !s.anyRank) || (d0 && 'value' in d0 && rowShape.length === s.dims.length)) {
    if (rows.length !== 1) {
      const dims = declaredShape(s);
      throw invalid(`input "${s.name}" has no batch dimension (shape [${dims}]); send exactly one instance`);
    }
    return {
      name: s.name,
      datatype: s.datatype,
      shape: rowShape,
      data: s.dims.length === 0 ? [rows[0]] : rows[0],
    };
  }
  // A first dimension fixed by the model (an export traced with batch 1) takes that many rows.
  if (d0 && 'value' in d0 && d0.value > 0 && rows.length !== d0.value) {
    const dims = declaredShape(s);
    throw invalid(
      `input "${s.name}" has its first dimension fixed at ${d0.value} (shape [${dims}]): send ${d0.value} instance${d0.value === 1 ? '' : 's'} per request, not ${rows.length}`,
    );
  }
  for (let i = 1; i < rows.length; i++) {
    const other = shapeOf(rows[i]);
    if (other.join(',') !== rowShape.join(',')) {
      throw invalid(
        `input "${s.name}": instance ${i} has shape [${other.join(',')}], instance 0 has [${rowShape.join(',')}]`,
      );
    }
  }
  // A flat row for a model whose row dimensions are all fixed is read in row-major order.
  const fixed = s.dims.slice(1).map((d) => ('value' in d ? d.value : -1));
  if (
    rowShape.length === 1 &&
    fixed.length > 1 &&
    fixed.every((d) => d >= 0) &&
    rowShape[0] === elementCount(fixed)
  )
    rowShape = fixed;
  return { name: s.name, datatype: s.datatype, shape: [rows.length, ...rowShape], data: rows };
}

/** The request tensors of a `/predict` body. */
export function instancesToTensors(
  resolved: Resolved,
  given: unknown,
): { tensors: RequestTensor[]; rows: number } {
  if (!isList(given) || given.length === 0) throw invalid('"instances" must be a non-empty array of rows');
  const instances = Array.from(given);
  const sig = resolved.version.inputs;
  if (sig.length === 0) {
    if (instances.length !== 1 || JSON.stringify(instances[0]) !== '{}')
      throw invalid('this model takes no inputs; send {"instances": [{}]}');
    return { tensors: [], rows: 1 };
  }
  for (const [i, row] of instances.entries()) {
    if (row === null || (typeof row !== 'object' && sig.length > 1))
      throw invalid(`instance ${i} must be an array, a value, or an object of named inputs or features`);
  }
  const byInput = rowsByInput(resolved, instances);
  return { tensors: sig.map((s) => stack(s, byInput.get(s.name)!)), rows: instances.length };
}

export interface PredictOutput {
  name: string;
  signature: TensorSignature;
  tensor: PlainTensor;
}

function nest(values: JsValue[], dims: readonly number[]): unknown {
  if (dims.length <= 1) return values;
  const size = elementCount(dims.slice(1));
  return Array.from({ length: dims[0]! }, (_, i) =>
    nest(values.slice(i * size, (i + 1) * size), dims.slice(1)),
  );
}

/** Per-row answers of one output: row i's values (nested to its shape), or labelled for a ZipMap. */
function perRow(o: PredictOutput, rows: number): unknown[] {
  const values = tensorValues(o.tensor, o.signature.datatype);
  const dims = o.tensor.dims;
  // A scalar (shape []) is the one value itself; an output without a row per instance is one whole.
  if (dims.length === 0) return [values[0]];
  if (dims[0] !== rows) return [nest(values, dims)];
  const size = elementCount(dims.slice(1));
  // A ZipMap output answers as the maps the model declares; plain score tensors stay arrays.
  const labels = o.signature.from === 'zipmap' ? o.signature.labels : undefined;
  return Array.from({ length: rows }, (_, i) => {
    const row = values.slice(i * size, (i + 1) * size);
    if (labels && dims.length === 2 && labels.length === size)
      return Object.fromEntries(labels.map((l, j) => [String(l), row[j]]));
    return dims.length === 1 ? row[0] : nest(row, dims.slice(1));
  });
}

function argmaxLabels(
  o: PredictOutput,
  labels: readonly (string | number)[],
  rows: number,
): (string | number)[] | undefined {
  const dims = o.tensor.dims;
  if (dims.length !== 2 || dims[0] !== rows || dims[1] !== labels.length) return undefined;
  const values = tensorValues(o.tensor, o.signature.datatype).map(Number);
  return Array.from({ length: rows }, (_, i) => {
    const row = values.slice(i * labels.length, (i + 1) * labels.length);
    return labels[row.indexOf(Math.max(...row))]!;
  });
}

export function shapePredictions(resolved: Resolved, outputs: PredictOutput[], rows: number) {
  const first = outputs[0];
  const result: {
    model: string;
    version: number;
    alias: string | null;
    predictions: unknown[];
    labels?: (string | number)[];
    outputs?: Record<string, unknown[]>;
  } = {
    model: resolved.model.name,
    version: resolved.version.version,
    alias: resolved.alias ?? null,
    predictions: first ? perRow(first, rows) : [],
  };
  // Class labels: a classifier's own (a ZipMap's, or its score tensor's), else the model's
  // `classes` metadata for its first output. Integer classes stay integers.
  const zipmap = outputs.find((o) => o.signature.labels);
  const classes = resolved.version.metadata['classes']?.split(',').map((c) => c.trim());
  const labels =
    (zipmap && argmaxLabels(zipmap, zipmap.signature.labels!, rows)) ??
    (first && classes ? argmaxLabels(first, classes, rows) : undefined);
  if (labels) result.labels = labels;
  if (outputs.length > 1) result.outputs = Object.fromEntries(outputs.map((o) => [o.name, perRow(o, rows)]));
  return result;
}
