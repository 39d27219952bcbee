import { OnnxDataType } from './data-types.js';
import { type NodeSpec, type TensorSpec, type ValueSpec, writeGraph } from './proto-writers.js';
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

export type { AttributeValue, Dim, NodeSpec, TensorSpec, ValueSpec } from './proto-writers.js';

export interface InitializerSpec extends TensorSpec {
  name: string;
}

export interface ModelSpec {
  graphName: string;
  inputs: readonly ValueSpec[];
  outputs: readonly ValueSpec[];
  initializers: readonly InitializerSpec[];
  nodes: readonly NodeSpec[];
  opsetVersion?: number;
  /** Extra operator sets, e.g. `{ domain: 'ai.onnx.ml', version: 3 }` for the classic ML operators. */
  extraOpsets?: readonly { domain: string; version: number }[];
  irVersion?: number;
  producerName?: string;
  producerVersion?: string;
  docString?: string;
  metadata?: Readonly<Record<string, string>>;
}

export function buildModel(spec: ModelSpec): Uint8Array {
  const w = new ProtoWriter();
  // IR 8 pairs with opset 13..17 and is read by every onnxruntime release since 1.10.
  w.int64(1, spec.irVersion ?? 8);
  w.string(2, spec.producerName ?? 'opsmesh');
  w.string(3, spec.producerVersion ?? '1');
  if (spec.docString) w.string(6, spec.docString);
  w.message(7, (g) =>
    writeGraph(g, {
      name: spec.graphName,
      inputs: spec.inputs,
      outputs: spec.outputs,
      initializers: spec.initializers,
      nodes: spec.nodes,
    }),
  );
  for (const opset of [{ domain: '', version: spec.opsetVersion ?? 13 }, ...(spec.extraOpsets ?? [])]) {
    w.message(8, (o) => {
      o.string(1, opset.domain);
      o.int64(2, opset.version);
    });
  }
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
