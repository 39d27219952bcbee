import { decodeString, ProtoDecodeError, type ProtoField, readFields, toSignedNumber } from './protobuf.js';

/**
 * Read-only views over the parts of an ONNX file (onnx.proto field numbers) that the service
 * inspects or rewrites: the model, its graph, nodes, attributes and value types. Each view keeps
 * the raw fields, so a rewrite can copy everything it does not change byte for byte.
 */

export const ModelField = {
  irVersion: 1,
  producer: 2,
  graph: 7,
  opset: 8,
  metadata: 14,
  trainingInfo: 20,
  functions: 25,
} as const;
export const GraphField = {
  node: 1,
  name: 2,
  initializer: 5,
  input: 11,
  output: 12,
  valueInfo: 13,
  sparseInitializer: 15,
} as const;
export const NodeField = { input: 1, output: 2, name: 3, opType: 4, attribute: 5, domain: 7 } as const;
export const AttributeField = {
  name: 1,
  i: 3,
  s: 4,
  t: 5,
  g: 6,
  ints: 8,
  strings: 9,
  tensors: 10,
  graphs: 11,
  type: 20,
  sparseTensor: 22,
  sparseTensors: 23,
} as const;
export const FunctionField = { node: 7 } as const;
export const TrainingField = { initialization: 1, algorithm: 2 } as const;
export const TypeField = { tensor: 1, sequence: 4, map: 5, optional: 9, sparseTensor: 8 } as const;

export const bytesOf = (fields: readonly ProtoField[], field: number): Uint8Array[] =>
  fields.filter((f) => f.field === field && f.bytes).map((f) => f.bytes!);

export const stringOf = (fields: readonly ProtoField[], field: number): string =>
  decodeString(fields.find((f) => f.field === field)?.bytes);

/** Repeated int64 in either encoding (proto2 writes them unpacked, proto3 packed). */
export function intsOf(fields: readonly ProtoField[], field: number): bigint[] {
  const out: bigint[] = [];
  for (const f of fields) {
    if (f.field !== field) continue;
    if (f.int !== undefined) out.push(f.int);
    else if (f.bytes) {
      let pos = 0;
      const b = f.bytes;
      while (pos < b.length) {
        let v = 0n;
        let shift = 0n;
        for (;;) {
          const byte = b[pos++];
          if (byte === undefined) throw new ProtoDecodeError('truncated packed varint');
          v |= BigInt(byte & 0x7f) << shift;
          if ((byte & 0x80) === 0) break;
          shift += 7n;
        }
        out.push(v);
      }
    }
  }
  return out;
}

export interface AttributeView {
  name: string;
  fields: ProtoField[];
}

export interface NodeView {
  inputs: string[];
  outputs: string[];
  name: string;
  opType: string;
  domain: string;
  attributes: AttributeView[];
  fields: ProtoField[];
}

export function readNode(bytes: Uint8Array): NodeView {
  const fields = readFields(bytes);
  return {
    inputs: fields.filter((f) => f.field === NodeField.input).map((f) => decodeString(f.bytes)),
    outputs: fields.filter((f) => f.field === NodeField.output).map((f) => decodeString(f.bytes)),
    name: stringOf(fields, NodeField.name),
    opType: stringOf(fields, NodeField.opType),
    domain: stringOf(fields, NodeField.domain),
    attributes: bytesOf(fields, NodeField.attribute).map((a) => {
      const af = readFields(a);
      return { name: stringOf(af, AttributeField.name), fields: af };
    }),
    fields,
  };
}

export function attribute(node: NodeView, name: string): AttributeView | undefined {
  return node.attributes.find((a) => a.name === name);
}

export const attributeInts = (a: AttributeView | undefined): bigint[] =>
  a ? intsOf(a.fields, AttributeField.ints) : [];
export const attributeStrings = (a: AttributeView | undefined): string[] =>
  a ? bytesOf(a.fields, AttributeField.strings).map((b) => decodeString(b)) : [];

/** Every subgraph an attribute holds (If branches, Loop and Scan bodies). */
export const attributeGraphs = (a: AttributeView): Uint8Array[] => [
  ...bytesOf(a.fields, AttributeField.g),
  ...bytesOf(a.fields, AttributeField.graphs),
];

/** A value's type: tensors in full, the containers ONNX also allows by what they hold. */
export type ValueType =
  | { kind: 'tensor'; elemType: number; dims: Dim[] | undefined }
  | { kind: 'sequence'; elem: ValueType }
  | { kind: 'map'; keyType: number; value: ValueType }
  | { kind: 'optional'; elem: ValueType }
  | { kind: 'other'; what: string };

/** A dimension: a fixed size, or symbolic (`param` is its name, empty when unnamed). */
export type Dim = { value: number } | { param: string };

function readDims(shapeBytes: Uint8Array): Dim[] {
  return bytesOf(readFields(shapeBytes), 1).map((d) => {
    const dim = readFields(d);
    const value = dim.find((x) => x.field === 1);
    if (value?.int !== undefined) return { value: toSignedNumber(value.int) };
    return { param: stringOf(dim, 2) };
  });
}

export function readType(bytes: Uint8Array | undefined): ValueType {
  if (!bytes) return { kind: 'other', what: 'no type' };
  const fields = readFields(bytes);
  const inner = (field: number) => fields.find((f) => f.field === field)?.bytes;
  const tensor = inner(TypeField.tensor);
  if (tensor) {
    const tf = readFields(tensor);
    const shape = tf.find((f) => f.field === 2)?.bytes;
    return {
      kind: 'tensor',
      elemType: toSignedNumber(tf.find((f) => f.field === 1)?.int),
      dims: shape ? readDims(shape) : undefined,
    };
  }
  const seq = inner(TypeField.sequence);
  if (seq) return { kind: 'sequence', elem: readType(readFields(seq).find((f) => f.field === 1)?.bytes) };
  const map = inner(TypeField.map);
  if (map) {
    const mf = readFields(map);
    return {
      kind: 'map',
      keyType: toSignedNumber(mf.find((f) => f.field === 1)?.int),
      value: readType(mf.find((f) => f.field === 2)?.bytes),
    };
  }
  const opt = inner(TypeField.optional);
  if (opt) return { kind: 'optional', elem: readType(readFields(opt).find((f) => f.field === 1)?.bytes) };
  if (inner(TypeField.sparseTensor)) return { kind: 'other', what: 'a sparse tensor' };
  return { kind: 'other', what: 'an unknown type' };
}

export interface ValueInfoView {
  name: string;
  type: ValueType;
}

export function readValueInfo(bytes: Uint8Array): ValueInfoView {
  const fields = readFields(bytes);
  return { name: stringOf(fields, 1), type: readType(fields.find((f) => f.field === 2)?.bytes) };
}

/** Names a type for a message: "a sequence of maps", "a tensor". */
export function describeType(t: ValueType): string {
  switch (t.kind) {
    case 'tensor':
      return 'a tensor';
    case 'sequence':
      return `a sequence of ${describeType(t.elem).replace(/^an? /, '')}s`;
    case 'map':
      return 'a map';
    case 'optional':
      return `an optional ${describeType(t.elem).replace(/^an? /, '')}`;
    case 'other':
      return t.what;
  }
}
