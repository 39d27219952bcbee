import { OnnxDataType } from './data-types.js';
import { ProtoWriter } from './protobuf.js';

/**
 * Builds ONNX ModelProto bytes for small feed-forward graphs (MatMul, Add, Relu, Softmax,
 * Gemm, ...) with float32 initializers. Field numbers follow onnx.proto3. The output is a
 * pure function of the spec, so a fixed spec always gives the same bytes.
 *
 * @example
 * const bytes = buildModel({
 *   graphName: 'g', inputs: [{ name: 'x', elemType: 1, shape: ['N', 4] }],
 *   outputs: [{ name: 'y', elemType: 1, shape: ['N', 3] }],
 *   initializers: [{ name: 'W', dims: [4, 3], data: new Float32Array(12) }],
 *   nodes: [{ opType: 'MatMul', inputs: ['x', 'W'], outputs: ['y'] }],
 * });
 */

export type Dim = number | string;

export interface ValueSpec {
  name: string;
  elemType: number;
  shape: readonly Dim[];
}

export interface InitializerSpec {
  name: string;
  dims: readonly number[];
  data: Float32Array;
}

export type AttributeValue = { kind: 'int'; value: number } | { kind: 'float'; value: number };

export interface NodeSpec {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  attributes?: Readonly<Record<string, AttributeValue>>;
}

export interface ModelSpec {
  graphName: string;
  inputs: readonly ValueSpec[];
  outputs: readonly ValueSpec[];
  initializers: readonly InitializerSpec[];
  nodes: readonly NodeSpec[];
  opsetVersion?: number;
  irVersion?: number;
  producerName?: string;
  producerVersion?: string;
  docString?: string;
  metadata?: Readonly<Record<string, string>>;
}

const AttributeType = { FLOAT: 1, INT: 2 } as const;

function writeValueInfo(w: ProtoWriter, v: ValueSpec): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int32(1, v.elemType);
      tensor.message(2, (shape) => {
        for (const d of v.shape) {
          shape.message(1, (dim) => (typeof d === 'number' ? dim.int64(1, d) : dim.string(2, d)));
        }
      });
    }),
  );
}

function writeInitializer(w: ProtoWriter, t: InitializerSpec): void {
  const expected = t.dims.reduce((a, b) => a * b, 1);
  if (expected !== t.data.length) {
    throw new Error(
      `initializer ${t.name}: dims ${t.dims.join('x')} need ${expected} values, got ${t.data.length}`,
    );
  }
  w.packedInt64(1, t.dims);
  w.int32(2, OnnxDataType.FLOAT);
  w.string(8, t.name);
  // raw_data is little-endian; copy so a view over a larger buffer is not leaked into the file.
  const raw = new Uint8Array(t.data.length * 4);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < t.data.length; i++) view.setFloat32(i * 4, t.data[i]!, true);
  w.bytes(9, raw);
}

function writeNode(w: ProtoWriter, n: NodeSpec, index: number): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name ?? `${n.opType.toLowerCase()}_${index}`);
  w.string(4, n.opType);
  for (const [name, attr] of Object.entries(n.attributes ?? {})) {
    w.message(5, (a) => {
      a.string(1, name);
      if (attr.kind === 'float') a.float(2, attr.value);
      else a.int64(3, attr.value);
      a.int32(20, attr.kind === 'float' ? AttributeType.FLOAT : AttributeType.INT);
    });
  }
}

export function buildModel(spec: ModelSpec): Uint8Array {
  const w = new ProtoWriter();
  // IR 8 pairs with opset 13..17 and is read by every onnxruntime release since 1.10.
  w.int64(1, spec.irVersion ?? 8);
  w.string(2, spec.producerName ?? 'opsmesh');
  w.string(3, spec.producerVersion ?? '1');
  if (spec.docString) w.string(6, spec.docString);
  w.message(7, (g) => {
    spec.nodes.forEach((n, i) => {
      g.message(1, (nw) => writeNode(nw, n, i));
    });
    g.string(2, spec.graphName);
    for (const t of spec.initializers) g.message(5, (tw) => writeInitializer(tw, t));
    for (const v of spec.inputs) g.message(11, (vw) => writeValueInfo(vw, v));
    for (const v of spec.outputs) g.message(12, (vw) => writeValueInfo(vw, v));
  });
  w.message(8, (o) => {
    o.string(1, '');
    o.int64(2, spec.opsetVersion ?? 13);
  });
  for (const [key, value] of Object.entries(spec.metadata ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    w.message(14, (m) => m.string(1, key).string(2, value));
  }
  return w.finish();
}

export interface DenseLayer {
  weights: Float32Array; // row-major [in, out]
  bias: Float32Array; // [out]
  inFeatures: number;
  outFeatures: number;
}

export interface MlpExportOptions {
  graphName: string;
  inputName: string;
  outputName: string;
  layers: readonly DenseLayer[];
  /** Append a Softmax so the output is class probabilities. */
  softmax: boolean;
  docString?: string;
  metadata?: Readonly<Record<string, string>>;
}

/** A multi-layer perceptron as Gemm (+Relu between layers) with a dynamic batch dimension `N`. */
export function buildMlp(opts: MlpExportOptions): Uint8Array {
  const nodes: NodeSpec[] = [];
  const initializers: InitializerSpec[] = [];
  let current = opts.inputName;
  opts.layers.forEach((layer, i) => {
    const isLast = i === opts.layers.length - 1;
    initializers.push({ name: `W${i}`, dims: [layer.inFeatures, layer.outFeatures], data: layer.weights });
    initializers.push({ name: `B${i}`, dims: [layer.outFeatures], data: layer.bias });
    const gemmOut = isLast && !opts.softmax ? opts.outputName : `gemm${i}`;
    nodes.push({ opType: 'Gemm', inputs: [current, `W${i}`, `B${i}`], outputs: [gemmOut] });
    current = gemmOut;
    if (!isLast) {
      nodes.push({ opType: 'Relu', inputs: [current], outputs: [`relu${i}`] });
      current = `relu${i}`;
    }
  });
  if (opts.softmax) {
    nodes.push({
      opType: 'Softmax',
      inputs: [current],
      outputs: [opts.outputName],
      attributes: { axis: { kind: 'int', value: -1 } },
    });
  }
  const first = opts.layers[0]!;
  const last = opts.layers[opts.layers.length - 1]!;
  return buildModel({
    graphName: opts.graphName,
    inputs: [{ name: opts.inputName, elemType: OnnxDataType.FLOAT, shape: ['N', first.inFeatures] }],
    outputs: [{ name: opts.outputName, elemType: OnnxDataType.FLOAT, shape: ['N', last.outFeatures] }],
    initializers,
    nodes,
    docString: opts.docString,
    metadata: opts.metadata,
  });
}
