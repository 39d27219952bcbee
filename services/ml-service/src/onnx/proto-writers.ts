import { OnnxDataType } from './data-types.js';
import { ProtoWriter } from './protobuf.js';

/**
 * Writers for the ONNX messages the model builder and the runtime rewrite produce: value infos
 * (tensors, sequences, maps, optionals), tensors, nodes with their attributes, and graphs.
 * Field numbers follow onnx.proto.
 */

export type Dim = number | string | null;

/** A value's type; a plain tensor is `{ elemType, shape }`. `shape: undefined` leaves the rank unknown. */
export type TypeSpec =
  | { elemType: number; shape: readonly Dim[] | undefined }
  | { sequence: TypeSpec }
  | { map: { keyType: number; value: TypeSpec } }
  | { optional: TypeSpec };

export interface ValueSpec {
  name: string;
  elemType?: number;
  shape?: readonly Dim[];
  /** Any other type (sequence, map, optional); takes precedence over elemType/shape. */
  type?: TypeSpec;
}

export type TensorData =
  | Float32Array
  | Float64Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | readonly string[];

export interface TensorSpec {
  name?: string;
  dims: readonly number[];
  /** ONNX element type; FLOAT when left out. */
  dataType?: number;
  data: TensorData;
  /** Data kept in another file (`data_location = EXTERNAL`), as some exporters write large models. */
  external?: { location: string };
}

export type AttributeValue =
  | { kind: 'int'; value: number | bigint }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'ints'; value: readonly (number | bigint)[] }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'strings'; value: readonly string[] }
  | { kind: 'tensor'; value: TensorSpec }
  | { kind: 'graph'; value: GraphSpec }
  | { kind: 'type'; value: TypeSpec };

export interface NodeSpec {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  domain?: string;
  attributes?: Readonly<Record<string, AttributeValue>>;
}

export interface GraphSpec {
  name: string;
  inputs: readonly ValueSpec[];
  outputs: readonly ValueSpec[];
  initializers?: readonly TensorSpec[];
  nodes: readonly NodeSpec[];
}

const AttributeType = {
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TYPE_PROTO: 13,
} as const;

export function writeType(w: ProtoWriter, t: TypeSpec): void {
  if ('elemType' in t) {
    w.message(1, (tensor) => {
      tensor.int32(1, t.elemType);
      const shape = t.shape;
      if (!shape) return;
      tensor.message(2, (s) => {
        for (const d of shape) {
          s.message(1, (dim) => {
            if (typeof d === 'number') dim.int64(1, d);
            else if (typeof d === 'string') dim.string(2, d);
          });
        }
      });
    });
  } else if ('sequence' in t) {
    w.message(4, (s) => s.message(1, (e) => writeType(e, t.sequence)));
  } else if ('map' in t) {
    w.message(5, (m) => {
      m.int32(1, t.map.keyType);
      m.message(2, (v) => writeType(v, t.map.value));
    });
  } else {
    w.message(9, (o) => o.message(1, (e) => writeType(e, t.optional)));
  }
}

export function writeValueInfo(w: ProtoWriter, v: ValueSpec): void {
  w.string(1, v.name);
  const type: TypeSpec = v.type ?? { elemType: v.elemType ?? OnnxDataType.FLOAT, shape: v.shape ?? [] };
  w.message(2, (t) => writeType(t, type));
}

export function writeTensor(w: ProtoWriter, t: TensorSpec): void {
  const expected = t.dims.reduce((a, b) => a * b, 1);
  if (!t.external && expected !== t.data.length) {
    throw new Error(
      `tensor ${t.name ?? ''}: dims ${t.dims.join('x')} need ${expected} values, got ${t.data.length}`,
    );
  }
  w.packedInt64(1, t.dims);
  w.int32(2, t.dataType ?? OnnxDataType.FLOAT);
  if (t.name !== undefined) w.string(8, t.name);
  if (t.external) {
    w.message(13, (e) => e.string(1, 'location').string(2, t.external!.location));
    w.int32(14, 1);
    return;
  }
  const d = t.data;
  if (Array.isArray(d)) {
    for (const s of d as readonly string[]) w.string(6, s);
    return;
  }
  // raw_data is little-endian, the byte order of every platform onnxruntime runs on here;
  // copy so a view over a larger buffer is not leaked into the file.
  const view = d as Exclude<TensorData, readonly string[]>;
  w.bytes(9, new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength)));
}

export function writeAttribute(w: ProtoWriter, name: string, attr: AttributeValue): void {
  w.string(1, name);
  switch (attr.kind) {
    case 'float':
      w.float(2, attr.value).int32(20, AttributeType.FLOAT);
      break;
    case 'int':
      w.int64(3, attr.value).int32(20, AttributeType.INT);
      break;
    case 'string':
      w.string(4, attr.value).int32(20, AttributeType.STRING);
      break;
    case 'tensor':
      w.message(5, (t) => writeTensor(t, attr.value)).int32(20, AttributeType.TENSOR);
      break;
    case 'graph':
      w.message(6, (g) => writeGraph(g, attr.value)).int32(20, AttributeType.GRAPH);
      break;
    case 'ints':
      for (const v of attr.value) w.int64(8, v);
      w.int32(20, AttributeType.INTS);
      break;
    case 'floats':
      for (const v of attr.value) w.float(7, v);
      w.int32(20, AttributeType.FLOATS);
      break;
    case 'strings':
      for (const v of attr.value) w.string(9, v);
      w.int32(20, AttributeType.STRINGS);
      break;
    case 'type':
      w.message(14, (t) => writeType(t, attr.value)).int32(20, AttributeType.TYPE_PROTO);
      break;
  }
}

export function writeNode(w: ProtoWriter, n: NodeSpec, index: number): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name ?? `${n.opType.toLowerCase()}_${index}`);
  w.string(4, n.opType);
  for (const [name, attr] of Object.entries(n.attributes ?? {})) {
    w.message(5, (a) => writeAttribute(a, name, attr));
  }
  if (n.domain) w.string(7, n.domain);
}

export function writeGraph(g: ProtoWriter, spec: GraphSpec): void {
  spec.nodes.forEach((n, i) => {
    g.message(1, (nw) => writeNode(nw, n, i));
  });
  g.string(2, spec.name);
  for (const t of spec.initializers ?? []) g.message(5, (tw) => writeTensor(tw, t));
  for (const v of spec.inputs) g.message(11, (vw) => writeValueInfo(vw, v));
  for (const v of spec.outputs) g.message(12, (vw) => writeValueInfo(vw, v));
}

/** One encoded field holding a message, ready for `ProtoWriter.raw`. */
export function encodeField(field: number, build: (w: ProtoWriter) => void): Uint8Array {
  return new ProtoWriter().message(field, build).finish();
}
