import { bytesOf, GraphField, ModelField, readNode } from './onnx-proto.js';
import { readFields } from './protobuf.js';

/**
 * Whether a model's run time follows from its input shapes alone. Every op listed here does work
 * bounded by the shapes of its inputs, whatever their values; control flow (If, Loop, Scan) and ops
 * whose output size comes from an input's values (Range, Tile, Expand, ConstantOfShape, Resize,
 * Pad, NonZero, TopK, OneHot, ...) are not listed, nor is any op outside the default domain. A
 * model made only of listed ops, fed one fixed shape, takes about as long on every call as it
 * did when timed, which is what lets a run of it go on the event loop (see inline-runs.ts).
 */
const SHAPE_BOUND_OPS = new Set([
  'Abs',
  'Add',
  'ArgMax',
  'ArgMin',
  'AveragePool',
  'BatchNormalization',
  'Cast',
  'Ceil',
  'Clip',
  'Concat',
  'Constant',
  'Conv',
  'Div',
  'Dropout',
  'Elu',
  'Equal',
  'Erf',
  'Exp',
  'Flatten',
  'Floor',
  'Gather',
  'Gelu',
  'Gemm',
  'GlobalAveragePool',
  'GlobalMaxPool',
  'Greater',
  'HardSigmoid',
  'Identity',
  'InstanceNormalization',
  'LayerNormalization',
  'LeakyRelu',
  'Less',
  'Log',
  'LogSoftmax',
  'MatMul',
  'Max',
  'MaxPool',
  'Min',
  'Mul',
  'Neg',
  'Not',
  'Pow',
  'PRelu',
  'Reciprocal',
  'ReduceL2',
  'ReduceMax',
  'ReduceMean',
  'ReduceMin',
  'ReduceSum',
  'Relu',
  'Reshape',
  'Selu',
  'Shape',
  'Sigmoid',
  'Sign',
  'Slice',
  'Softmax',
  'Softplus',
  'Split',
  'Sqrt',
  'Squeeze',
  'Sub',
  'Sum',
  'Tanh',
  'Transpose',
  'Unsqueeze',
  'Where',
]);

/**
 * Undefined when every node of the model is a shape-bound op of the default domain, else the
 * first op that is not (or why the model cannot be judged).
 *
 * @example
 * notShapeBound(mlpBytes) // undefined
 * notShapeBound(loopBytes) // 'Loop'
 */
export function notShapeBound(model: Uint8Array): string | undefined {
  const top = readFields(model);
  if (bytesOf(top, ModelField.functions).length > 0) return 'model-local functions';
  const graphs = bytesOf(top, ModelField.graph);
  if (graphs.length !== 1) return 'no graph';
  for (const n of bytesOf(readFields(graphs[0]!), GraphField.node)) {
    const node = readNode(n);
    if ((node.domain !== '' && node.domain !== 'ai.onnx') || !SHAPE_BOUND_OPS.has(node.opType))
      return node.domain && node.domain !== 'ai.onnx' ? `${node.domain}.${node.opType}` : node.opType;
  }
  return undefined;
}
