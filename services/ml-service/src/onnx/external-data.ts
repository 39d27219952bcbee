import {
  AttributeField,
  bytesOf,
  FunctionField,
  GraphField,
  ModelField,
  readNode,
  stringOf,
  TrainingField,
} from './onnx-proto.js';
import { readFields, toSignedNumber } from './protobuf.js';

/**
 * Finds tensors whose data lives outside the file (`data_location = EXTERNAL`, or
 * `external_data` entries). The runtime would read such data from paths relative to the
 * process's working directory, so a model could make the server read its own files: every
 * place a tensor can sit is searched (initializers, sparse initializers, tensor attributes of
 * any node, the subgraphs of If/Loop/Scan, functions and training graphs).
 */

const TensorField = { name: 8, externalData: 13, dataLocation: 14 } as const;
const SparseField = { values: 1, indices: 2 } as const;
const EXTERNAL = 1;

function isExternal(tensor: Uint8Array): boolean {
  const fields = readFields(tensor);
  const location = fields.find((f) => f.field === TensorField.dataLocation)?.int;
  return (
    (location !== undefined && toSignedNumber(location) === EXTERNAL) ||
    fields.some((f) => f.field === TensorField.externalData)
  );
}

const tensorName = (tensor: Uint8Array) => stringOf(readFields(tensor), TensorField.name);

function inSparse(sparse: Uint8Array): Uint8Array | undefined {
  const fields = readFields(sparse);
  return [...bytesOf(fields, SparseField.values), ...bytesOf(fields, SparseField.indices)].find(isExternal);
}

function inNode(nodeBytes: Uint8Array, where: string): string | undefined {
  const node = readNode(nodeBytes);
  const label = `node "${node.name || node.opType}" (${node.opType})${where}`;
  for (const a of node.attributes) {
    const tensors = [...bytesOf(a.fields, AttributeField.t), ...bytesOf(a.fields, AttributeField.tensors)];
    const sparse = [
      ...bytesOf(a.fields, AttributeField.sparseTensor),
      ...bytesOf(a.fields, AttributeField.sparseTensors),
    ];
    if (tensors.some(isExternal) || sparse.some((s) => inSparse(s)))
      return `attribute "${a.name}" of ${label}`;
    for (const g of [...bytesOf(a.fields, AttributeField.g), ...bytesOf(a.fields, AttributeField.graphs)]) {
      const found = inGraph(g, ` in the "${a.name}" subgraph of ${label}`);
      if (found) return found;
    }
  }
  return undefined;
}

function inGraph(graphBytes: Uint8Array, where: string): string | undefined {
  const graph = readFields(graphBytes);
  for (const t of bytesOf(graph, GraphField.initializer)) {
    if (isExternal(t)) return `initializer "${tensorName(t)}"${where}`;
  }
  for (const s of bytesOf(graph, GraphField.sparseInitializer)) {
    const t = inSparse(s);
    if (t) return `sparse initializer "${tensorName(t)}"${where}`;
  }
  for (const n of bytesOf(graph, GraphField.node)) {
    const found = inNode(n, where);
    if (found) return found;
  }
  return undefined;
}

/**
 * Where the first tensor with external data sits, or undefined when every tensor is inline.
 *
 * @example
 * findExternalData(bytes) // 'initializer "W"'
 */
export function findExternalData(model: Uint8Array): string | undefined {
  const top = readFields(model);
  for (const g of bytesOf(top, ModelField.graph)) {
    const found = inGraph(g, '');
    if (found) return found;
  }
  for (const fn of bytesOf(top, ModelField.functions)) {
    const fields = readFields(fn);
    const name = stringOf(fields, 1);
    for (const n of bytesOf(fields, FunctionField.node)) {
      const found = inNode(n, ` in function "${name}"`);
      if (found) return found;
    }
  }
  for (const info of bytesOf(top, ModelField.trainingInfo)) {
    const fields = readFields(info);
    for (const g of [
      ...bytesOf(fields, TrainingField.initialization),
      ...bytesOf(fields, TrainingField.algorithm),
    ]) {
      const found = inGraph(g, ' in a training graph');
      if (found) return found;
    }
  }
  return undefined;
}
