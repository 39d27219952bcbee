import { type IoTensor, planIo, readGraph, UnsupportedModelError } from './io-plan.js';
import type { Dim } from './onnx-proto.js';
import { decodeString, ProtoDecodeError, readFields, toSignedNumber } from './protobuf.js';

/**
 * Reads the input/output signature of any ONNX file straight from its protobuf, without
 * loading it in a runtime: names, element types and shapes with symbolic dimensions.
 */

/** A dimension: a fixed size, or symbolic (`param` is its name, empty when unnamed). */
export type SignatureDim = Dim;

/** A served input or output: name, V2 datatype, dims, and for outputs what else the model declares. */
export type TensorSignature = IoTensor;

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

/** The bytes are no ONNX model at all (not a protobuf, or a protobuf without a model's graph). */
export class NotOnnxModelError extends OnnxFormatError {}

/** Throws OnnxFormatError with a reason a person can act on when the bytes are not an ONNX model. */
export function readSignature(model: Uint8Array): ModelSignature {
  try {
    const top = readFields(model);
    const graphBytes = top.find((f) => f.field === 7)?.bytes;
    if (!graphBytes) throw new NotOnnxModelError('no graph in the file (is it an ONNX ModelProto?)');
    const irVersion = toSignedNumber(top.find((f) => f.field === 1)?.int);
    if (irVersion <= 0) throw new NotOnnxModelError('missing ir_version');
    let plan: ReturnType<typeof planIo>;
    try {
      plan = planIo(readGraph(graphBytes));
    } catch (err) {
      if (err instanceof UnsupportedModelError) throw new OnnxFormatError(err.message);
      throw err;
    }
    const { inputs, outputs } = plan;
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
      graphName: decodeString(readFields(graphBytes).find((f) => f.field === 2)?.bytes),
      metadata,
    };
  } catch (err) {
    if (err instanceof ProtoDecodeError) throw new NotOnnxModelError(`not a valid protobuf: ${err.message}`);
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
