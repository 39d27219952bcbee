/**
 * ONNX TensorProto.DataType numbers and their names in the two vocabularies the service
 * speaks: onnxruntime tensor types and Open Inference Protocol (V2) datatypes.
 */

export const OnnxDataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  BFLOAT16: 16,
} as const;

export type V2Datatype =
  | 'BOOL'
  | 'UINT8'
  | 'UINT16'
  | 'UINT32'
  | 'UINT64'
  | 'INT8'
  | 'INT16'
  | 'INT32'
  | 'INT64'
  | 'FP16'
  | 'FP32'
  | 'FP64'
  | 'BF16'
  | 'BYTES';

export type OrtTensorType =
  | 'bool'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'float16'
  | 'float32'
  | 'float64'
  | 'string';

const table: ReadonlyArray<readonly [number, V2Datatype, OrtTensorType]> = [
  [OnnxDataType.FLOAT, 'FP32', 'float32'],
  [OnnxDataType.UINT8, 'UINT8', 'uint8'],
  [OnnxDataType.INT8, 'INT8', 'int8'],
  [OnnxDataType.UINT16, 'UINT16', 'uint16'],
  [OnnxDataType.INT16, 'INT16', 'int16'],
  [OnnxDataType.INT32, 'INT32', 'int32'],
  [OnnxDataType.INT64, 'INT64', 'int64'],
  [OnnxDataType.STRING, 'BYTES', 'string'],
  [OnnxDataType.BOOL, 'BOOL', 'bool'],
  [OnnxDataType.FLOAT16, 'FP16', 'float16'],
  [OnnxDataType.DOUBLE, 'FP64', 'float64'],
  [OnnxDataType.UINT32, 'UINT32', 'uint32'],
  [OnnxDataType.UINT64, 'UINT64', 'uint64'],
  // No bfloat16 in onnxruntime-node: the runtime copy of a model casts BF16 to FP32 inside the
  // graph (see runtime-rewrite.ts), so these tensors travel as float32 holding BF16 values.
  [OnnxDataType.BFLOAT16, 'BF16', 'float32'],
];

export const V2_DATATYPES: readonly V2Datatype[] = table.map((r) => r[1]);

/** TensorProto.DataType names of the element types no V2 datatype carries, for messages. */
const UNSERVED_NAMES: Readonly<Record<number, string>> = {
  0: 'UNDEFINED',
  14: 'COMPLEX64',
  15: 'COMPLEX128',
  17: 'FLOAT8E4M3FN',
  18: 'FLOAT8E4M3FNUZ',
  19: 'FLOAT8E5M2',
  20: 'FLOAT8E5M2FNUZ',
  21: 'UINT4',
  22: 'INT4',
  23: 'FLOAT4E2M1',
  24: 'FLOAT8E8M0',
};

/** An ONNX element type as written in messages: `FLOAT8E4M3FN (17)`. */
export function onnxTypeName(elemType: number): string {
  const name = UNSERVED_NAMES[elemType] ?? Object.entries(OnnxDataType).find(([, v]) => v === elemType)?.[0];
  return name ? `${name} (${elemType})` : String(elemType);
}

export function onnxToV2(elemType: number): V2Datatype | undefined {
  return table.find((r) => r[0] === elemType)?.[1];
}

export function v2ToOrt(datatype: V2Datatype): OrtTensorType {
  return table.find((r) => r[1] === datatype)![2];
}

export function ortToV2(type: string): V2Datatype | undefined {
  return table.find((r) => r[2] === type)?.[1];
}

export function isV2Datatype(value: unknown): value is V2Datatype {
  return typeof value === 'string' && (V2_DATATYPES as readonly string[]).includes(value);
}
