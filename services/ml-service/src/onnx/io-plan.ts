import { OnnxDataType, onnxToV2, onnxTypeName, type V2Datatype } from './data-types.js';
import {
  attribute,
  attributeInts,
  attributeStrings,
  bytesOf,
  type Dim,
  describeType,
  GraphField,
  type NodeView,
  readNode,
  readValueInfo,
  stringOf,
  type ValueInfoView,
  type ValueType,
} from './onnx-proto.js';
import { type ProtoField, readFields } from './protobuf.js';

/**
 * How a graph's inputs and outputs are served. onnxruntime-node hands back tensors only, so the
 * other kinds of output real exporters produce are turned into tensors by a small rewrite of
 * the graph (runtime-rewrite.ts), planned here from the file alone:
 * - a ZipMap (scikit-learn classifiers' default probabilities, a sequence of maps) is served
 *   as the tensor it was made from, FP32 [N, classes], with the class labels alongside;
 * - a sequence built by SequenceConstruct is served as one output per element, `name.0`,
 *   `name.1`, ...; any other sequence of tensors as one tensor stacked on a new first axis;
 * - an optional tensor is served when present and left out of the answer when absent;
 * - a BF16 tensor (no such type in onnxruntime-node) travels as FP32 inside the runtime, cast
 *   in the graph, so every BF16 value passes through exactly.
 */

export class UnsupportedModelError extends Error {}

export interface IoTensor {
  name: string;
  datatype: V2Datatype;
  dims: Dim[];
  /** Class labels of a ZipMap output, in column order. */
  labels?: (string | number)[];
  /** An optional output: left out of an answer when the model does not produce it. */
  optional?: true;
  /** The graph declares no shape at all (tf2onnx for a `TensorSpec(None)`): any rank is taken. */
  anyRank?: true;
  /** What the graph declared when it was not a plain tensor. */
  from?: 'zipmap' | 'sequence' | 'optional';
}

export type PlanStep =
  | { kind: 'zipmap'; output: string; node: number; source: string }
  | { kind: 'items'; output: string; items: string[] }
  | { kind: 'stack'; output: string; elemType: number }
  | { kind: 'optional'; output: string; elemType: number }
  | { kind: 'bf16-in'; input: string }
  | { kind: 'bf16-out'; output: string };

export interface GraphParts {
  fields: ProtoField[];
  nodes: NodeView[];
  inputs: ValueInfoView[];
  outputs: ValueInfoView[];
  initializers: Set<string>;
  valueInfo: Map<string, ValueInfoView>;
}

export interface IoPlan {
  inputs: IoTensor[];
  outputs: IoTensor[];
  /** Rewrites the runtime copy needs; empty for a graph of plain tensors. */
  steps: PlanStep[];
}

const BFLOAT16 = OnnxDataType.BFLOAT16;
const FLOAT = OnnxDataType.FLOAT;

export function readGraph(graphBytes: Uint8Array): GraphParts {
  const fields = readFields(graphBytes);
  const infos = bytesOf(fields, GraphField.valueInfo).map(readValueInfo);
  return {
    fields,
    nodes: bytesOf(fields, GraphField.node).map(readNode),
    inputs: bytesOf(fields, GraphField.input).map(readValueInfo),
    outputs: bytesOf(fields, GraphField.output).map(readValueInfo),
    initializers: new Set(bytesOf(fields, GraphField.initializer).map((t) => stringOf(readFields(t), 8))),
    valueInfo: new Map(infos.map((v) => [v.name, v])),
  };
}

/** What an unservable type can be cast to, for messages. */
const SERVED_TYPES = 'FP32, FP16, BF16, FP64, INT8 to INT64, UINT8 to UINT64, BOOL, STRING';

function datatypeOf(elemType: number, what: string): V2Datatype {
  const d = onnxToV2(elemType);
  if (!d) {
    const fix = what.startsWith('input')
      ? `give it a type the protocol carries (${SERVED_TYPES}) and cast inside the graph`
      : `cast it inside the graph to a type the protocol carries (${SERVED_TYPES})`;
    throw new UnsupportedModelError(
      `${what} has element type ${onnxTypeName(elemType)}, which the inference protocol has no datatype for: ${fix}, then export the model again`,
    );
  }
  return d;
}

const dimsOf = (t: ValueType): Dim[] => (t.kind === 'tensor' ? (t.dims ?? []) : []);

/** The class labels a ZipMap or an `ai.onnx.ml` classifier names, in column order. */
function classLabels(node: NodeView): (string | number)[] {
  const labels = attributeStrings(attribute(node, 'classlabels_strings'));
  if (labels.length > 0) return labels;
  return attributeInts(attribute(node, 'classlabels_int64s')).map((i) => Number(BigInt.asIntN(64, i)));
}

/** Nodes a classifier's scores pass through unchanged in column order on their way to an output. */
const PASS_THROUGH = new Set(['Identity', 'Cast', 'Normalizer']);

/**
 * The labels of an output that holds a classifier's per-class scores as a plain tensor (what
 * skl2onnx writes with `zipmap=False`, and onnxmltools for LightGBM and XGBoost without a
 * ZipMap): the second output of an `ai.onnx.ml` classifier (LinearClassifier,
 * TreeEnsembleClassifier, SVMClassifier), reached through Identity, Cast or Normalizer only.
 */
function classifierScores(g: GraphParts, output: string): (string | number)[] | undefined {
  let value = output;
  for (let hops = 0; hops < 8; hops++) {
    const node = g.nodes.find((n) => n.outputs.includes(value));
    if (!node) return undefined;
    if (node.domain === 'ai.onnx.ml' && node.opType.endsWith('Classifier'))
      return node.outputs[1] === value ? classLabels(node) : undefined;
    if (!PASS_THROUGH.has(node.opType) || !node.inputs[0]) return undefined;
    value = node.inputs[0];
  }
  return undefined;
}

function planOutput(g: GraphParts, out: ValueInfoView, steps: PlanStep[]): IoTensor[] {
  const what = `output "${out.name}"`;
  const t = out.type;
  const producerIndex = g.nodes.findIndex((n) => n.outputs.includes(out.name));
  const producer = g.nodes[producerIndex];
  if (t.kind === 'tensor') {
    if (t.elemType === BFLOAT16) steps.push({ kind: 'bf16-out', output: out.name });
    const labels = classifierScores(g, out.name);
    return [
      {
        name: out.name,
        datatype: datatypeOf(t.elemType, what),
        dims: dimsOf(t),
        ...(t.dims ? {} : { anyRank: true as const }),
        ...(labels && labels.length > 0 ? { labels } : {}),
      },
    ];
  }
  if (producer?.opType === 'ZipMap') {
    if (g.nodes.some((n) => n.inputs.includes(out.name)))
      throw new UnsupportedModelError(`${what} is a ZipMap that other nodes also read`);
    const source = producer.inputs[0]!;
    const all = classLabels(producer);
    const declared = g.valueInfo.get(source)?.type;
    const first = g.inputs.find((i) => !g.initializers.has(i.name))?.type;
    const batch =
      dimsOf(declared ?? { kind: 'other', what: '' })[0] ?? dimsOf(first ?? { kind: 'other', what: '' })[0];
    steps.push({ kind: 'zipmap', output: out.name, node: producerIndex, source });
    return [
      {
        name: out.name,
        datatype: 'FP32',
        dims: [batch ?? { param: '' }, { value: all.length }],
        labels: all,
        from: 'zipmap',
      },
    ];
  }
  if (t.kind === 'sequence' && t.elem.kind === 'tensor') {
    const elem = t.elem;
    const datatype = datatypeOf(elem.elemType, what);
    if (elem.elemType === BFLOAT16)
      throw new UnsupportedModelError(`${what} is a sequence of BF16 tensors, which cannot be served`);
    if (producer?.opType === 'SequenceConstruct') {
      const items = producer.inputs.map((_, i) => `${out.name}.${i}`);
      steps.push({ kind: 'items', output: out.name, items });
      return items.map((name) => ({ name, datatype, dims: dimsOf(elem), from: 'sequence' as const }));
    }
    steps.push({ kind: 'stack', output: out.name, elemType: elem.elemType });
    return [{ name: out.name, datatype, dims: [{ param: '' }, ...dimsOf(elem)], from: 'sequence' }];
  }
  if (t.kind === 'optional' && t.elem.kind === 'tensor') {
    const elem = t.elem;
    if (elem.elemType === BFLOAT16)
      throw new UnsupportedModelError(`${what} is an optional BF16 tensor, which cannot be served`);
    steps.push({ kind: 'optional', output: out.name, elemType: elem.elemType });
    return [
      {
        name: out.name,
        datatype: datatypeOf(elem.elemType, what),
        dims: dimsOf(elem),
        optional: true,
        from: 'optional',
      },
    ];
  }
  throw new UnsupportedModelError(
    `${what} is ${describeType(t)}; tensors, ZipMap outputs, sequences of tensors and optional tensors can be served`,
  );
}

/** The served inputs and outputs of a graph, and the rewrite steps that serving them needs. */
export function planIo(g: GraphParts): IoPlan {
  const steps: PlanStep[] = [];
  // Models from IR < 4 list initializers among the graph inputs; those are not fed by callers.
  const inputs = g.inputs
    .filter((i) => !g.initializers.has(i.name))
    .map((i): IoTensor => {
      const t = i.type;
      if (t.kind !== 'tensor')
        throw new UnsupportedModelError(
          `input "${i.name}" is ${describeType(t)}; only tensor inputs are served: export the model with tensor inputs${t.kind === 'map' ? ' (for a scikit-learn DictVectorizer, convert the steps after it and send the FP32 [N, features] rows it makes)' : ''}`,
        );
      if (t.elemType === BFLOAT16) steps.push({ kind: 'bf16-in', input: i.name });
      return {
        name: i.name,
        datatype: datatypeOf(t.elemType, `input "${i.name}"`),
        dims: dimsOf(t),
        ...(t.dims ? {} : { anyRank: true as const }),
      };
    });
  const outputs = g.outputs.flatMap((o) => planOutput(g, o, steps));
  const names = new Set<string>();
  for (const o of outputs) {
    if (names.has(o.name)) throw new UnsupportedModelError(`two outputs would both be named "${o.name}"`);
    names.add(o.name);
  }
  return { inputs, outputs, steps };
}

export { BFLOAT16, FLOAT };
