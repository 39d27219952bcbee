import { onnxToV2, type V2Datatype } from './data-types.js';
import { decodeString, ProtoDecodeError, readFields, toSignedNumber } from './protobuf.js';

/**
 * Reads the input/output signature of any ONNX file straight from its protobuf, without
 * loading it in a runtime: names, element types and shapes with symbolic dimensions.
 */

/** A dimension: a fixed size, or symbolic (`param` is its name, empty when unnamed). */
export type SignatureDim = { value: number } | { param: string };

export interface TensorSignature {
  name: string;
  datatype: V2Datatype;
  dims: SignatureDim[];
}

export interface ModelSignature {
  inputs: TensorSignature[];
  outputs: TensorSignature[];
  irVersion: number;
  opsets: { domain: string; version: number }[];
  producer: string;
  graphName: string;
  metadata: Record<string, string>;
}

export class OnnxFormatError extends Error {}

function readDims(shapeBytes: Uint8Array): SignatureDim[] {
  return readFields(shapeBytes)
    .filter((f) => f.field === 1 && f.bytes)
    .map((f) => {
      const dim = readFields(f.bytes!);
      const value = dim.find((d) => d.field === 1);
      if (value?.int !== undefined) return { value: toSignedNumber(value.int) };
      return { param: decodeString(dim.find((d) => d.field === 2)?.bytes) };
    });
}

function readValueInfo(bytes: Uint8Array): TensorSignature | { name: string; unsupported: string } {
  const fields = readFields(bytes);
  const name = decodeString(fields.find((f) => f.field === 1)?.bytes);
  const typeBytes = fields.find((f) => f.field === 2)?.bytes;
  if (!typeBytes) return { name, unsupported: 'no type' };
  const tensorType = readFields(typeBytes).find((f) => f.field === 1)?.bytes;
  if (!tensorType) return { name, unsupported: 'not a tensor (sequence, map or optional)' };
  const tensorFields = readFields(tensorType);
  const elemType = toSignedNumber(tensorFields.find((f) => f.field === 1)?.int);
  const datatype = onnxToV2(elemType);
  if (!datatype) return { name, unsupported: `element type ${elemType}` };
  const shapeBytes = tensorFields.find((f) => f.field === 2)?.bytes;
  return { name, datatype, dims: shapeBytes ? readDims(shapeBytes) : [] };
}

/** Throws OnnxFormatError with a reason a person can act on when the bytes are not an ONNX model. */
export function readSignature(model: Uint8Array): ModelSignature {
  try {
    const top = readFields(model);
    const graphBytes = top.find((f) => f.field === 7)?.bytes;
    if (!graphBytes) throw new OnnxFormatError('no graph in the file (is it an ONNX ModelProto?)');
    const irVersion = toSignedNumber(top.find((f) => f.field === 1)?.int);
    if (irVersion <= 0) throw new OnnxFormatError('missing ir_version');
    const graph = readFields(graphBytes);
    const initializerNames = new Set(
      graph
        .filter((f) => f.field === 5 && f.bytes)
        .map((f) => decodeString(readFields(f.bytes!).find((t) => t.field === 8)?.bytes)),
    );
    const collect = (field: number, skipInitializers: boolean): TensorSignature[] =>
      graph
        .filter((f) => f.field === field && f.bytes)
        .map((f) => readValueInfo(f.bytes!))
        .filter((v) => !(skipInitializers && initializerNames.has(v.name)))
        .map((v) => {
          if ('unsupported' in v)
            throw new OnnxFormatError(`tensor "${v.name}" is unsupported: ${v.unsupported}`);
          return v;
        });
    // Models from IR < 4 list initializers among the graph inputs; those are not fed by callers.
    const inputs = collect(11, true);
    const outputs = collect(12, false);
    if (outputs.length === 0) throw new OnnxFormatError('the graph declares no outputs');
    const opsets = top
      .filter((f) => f.field === 8 && f.bytes)
      .map((f) => {
        const o = readFields(f.bytes!);
        return {
          domain: decodeString(o.find((x) => x.field === 1)?.bytes),
          version: toSignedNumber(o.find((x) => x.field === 2)?.int),
        };
      });
    const metadata: Record<string, string> = {};
    for (const f of top.filter((x) => x.field === 14 && x.bytes)) {
      const kv = readFields(f.bytes!);
      metadata[decodeString(kv.find((x) => x.field === 1)?.bytes)] = decodeString(
        kv.find((x) => x.field === 2)?.bytes,
      );
    }
    return {
      inputs,
      outputs,
      irVersion,
      opsets,
      producer: decodeString(top.find((f) => f.field === 2)?.bytes),
      graphName: decodeString(graph.find((f) => f.field === 2)?.bytes),
      metadata,
    };
  } catch (err) {
    if (err instanceof ProtoDecodeError) throw new OnnxFormatError(`not a valid protobuf: ${err.message}`);
    throw err;
  }
}

export function isDynamic(dim: SignatureDim | undefined): boolean {
  return dim !== undefined && 'param' in dim;
}

/** V2 metadata shape: -1 for every symbolic dimension. */
export function v2Shape(dims: readonly SignatureDim[]): number[] {
  return dims.map((d) => ('value' in d && d.value > 0 ? d.value : -1));
}

/** Batching needs every input and output to have a symbolic first dimension. */
export function supportsBatching(sig: Pick<ModelSignature, 'inputs' | 'outputs'>): boolean {
  return [...sig.inputs, ...sig.outputs].every((t) => t.dims.length > 0 && isDynamic(t.dims[0]));
}
