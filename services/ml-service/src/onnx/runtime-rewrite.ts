import { OnnxDataType } from './data-types.js';
import {
  BFLOAT16,
  FLOAT,
  type GraphParts,
  type IoPlan,
  planIo,
  readGraph,
  UnsupportedModelError,
} from './io-plan.js';
import {
  AttributeField,
  attribute,
  GraphField,
  ModelField,
  NodeField,
  type ValueType,
} from './onnx-proto.js';
import {
  encodeField,
  type NodeSpec,
  type TypeSpec,
  writeAttribute,
  writeNode,
  writeValueInfo,
} from './proto-writers.js';
import { decodeString, type ProtoField, ProtoWriter, readFields } from './protobuf.js';

/**
 * The copy of a model that onnxruntime loads: the uploaded graph with the rewrites io-plan.ts
 * plans (ZipMap, sequences, optionals and BF16 turned into plain tensors), and on Linux a locale
 * for each StringNormalizer that names none. Everything else is copied byte for byte; a graph of
 * plain tensors that needs neither is returned as it came.
 */

/**
 * onnxruntime's StringNormalizer builds the C++ locale its `locale` attribute names, and
 * `en_US.UTF-8` when the attribute is absent, as skl2onnx text pipelines leave it. Slim Linux
 * images install no such locale, so the model would not load ("Failed to construct locale").
 * `C.UTF-8` is built into glibc and maps case over all of Unicode, as en_US.UTF-8 does.
 */
const STRING_NORMALIZER_LOCALE = process.platform === 'linux' ? 'C.UTF-8' : undefined;

/** The top-level StringNormalizer nodes that name no locale, by index. */
function localeless(g: GraphParts): Set<number> {
  const found = new Set<number>();
  if (!STRING_NORMALIZER_LOCALE) return found;
  g.nodes.forEach((n, i) => {
    if (
      n.opType === 'StringNormalizer' &&
      (n.domain === '' || n.domain === 'ai.onnx') &&
      !attribute(n, 'locale')
    )
      found.add(i);
  });
  return found;
}

/** A node with a `locale` string attribute appended. */
function withLocale(nodeBytes: Uint8Array, locale: string): Uint8Array {
  return new ProtoWriter()
    .raw(nodeBytes)
    .message(NodeField.attribute, (a) => writeAttribute(a, 'locale', { kind: 'string', value: locale }))
    .finish();
}

export interface RuntimeModel {
  bytes: Uint8Array;
  plan: IoPlan;
  /** Optional outputs and the BOOL output saying whether each is present in a run. */
  presence: { output: string; flag: string }[];
}

/** Renames every use and definition of a value, in this graph and in the subgraphs of its nodes. */
function renameInNode(nodeBytes: Uint8Array, renames: Map<string, string>): Uint8Array {
  const w = new ProtoWriter();
  for (const f of readFields(nodeBytes)) {
    if ((f.field === NodeField.input || f.field === NodeField.output) && f.bytes) {
      const name = decodeString(f.bytes);
      w.string(f.field, renames.get(name) ?? name);
    } else if (f.field === NodeField.attribute && f.bytes) {
      w.bytes(NodeField.attribute, renameInAttribute(f.bytes, renames));
    } else w.raw(f.raw);
  }
  return w.finish();
}

function renameInAttribute(attrBytes: Uint8Array, renames: Map<string, string>): Uint8Array {
  const fields = readFields(attrBytes);
  if (!fields.some((f) => f.field === AttributeField.g || f.field === AttributeField.graphs))
    return attrBytes;
  const w = new ProtoWriter();
  for (const f of fields) {
    if ((f.field === AttributeField.g || f.field === AttributeField.graphs) && f.bytes) {
      w.bytes(f.field, renameInGraph(f.bytes, renames));
    } else w.raw(f.raw);
  }
  return w.finish();
}

function renameValueInfo(f: ProtoField, renames: Map<string, string>): Uint8Array {
  const inner = readFields(f.bytes!);
  const name = decodeString(inner.find((x) => x.field === 1)?.bytes);
  const to = renames.get(name);
  if (to === undefined) return f.raw;
  return encodeField(f.field, (w) => {
    for (const x of inner) {
      if (x.field === 1) w.string(1, to);
      else w.raw(x.raw);
    }
  });
}

function renameInGraph(graphBytes: Uint8Array, renames: Map<string, string>): Uint8Array {
  const w = new ProtoWriter();
  for (const f of readFields(graphBytes)) {
    if (f.field === GraphField.node && f.bytes) w.bytes(GraphField.node, renameInNode(f.bytes, renames));
    else if (f.field === GraphField.valueInfo && f.bytes) w.raw(renameValueInfo(f, renames));
    else w.raw(f.raw);
  }
  return w.finish();
}

function usedNames(g: GraphParts): Set<string> {
  const names = new Set<string>([...g.initializers, ...g.inputs.map((i) => i.name)]);
  for (const n of g.nodes) for (const v of [...n.inputs, ...n.outputs]) names.add(v);
  return names;
}

const tensorType = (elemType: number): TypeSpec => ({ elemType, shape: undefined });

function emptyTensor(elemType: number) {
  return elemType === OnnxDataType.STRING
    ? { dims: [0], dataType: elemType, data: [] as string[] }
    : { dims: [0], dataType: elemType, data: new Uint8Array(0) };
}

/** The runtime copy of `model`, rewritten as its plan needs. Throws UnsupportedModelError. */
export function toRuntimeModel(model: Uint8Array): RuntimeModel {
  const top = readFields(model);
  const graphField = top.find((f) => f.field === ModelField.graph);
  if (!graphField?.bytes) throw new UnsupportedModelError('no graph in the file');
  const g = readGraph(graphField.bytes);
  const plan = planIo(g);
  const needsLocale = localeless(g);
  if (plan.steps.length === 0 && needsLocale.size === 0) return { bytes: model, plan, presence: [] };

  const taken = usedNames(g);
  const fresh = (base: string) => {
    let name = base;
    for (let i = 1; taken.has(name); i++) name = `${base}_${i}`;
    taken.add(name);
    return name;
  };
  const renames = new Map<string, string>();
  const before: NodeSpec[] = [];
  const after: NodeSpec[] = [];
  const dropped = new Set<number>();
  const outputs = new Map<string, { name: string; type: TypeSpec }[]>();
  const inputTypes = new Map<string, TypeSpec>();
  const presence: RuntimeModel['presence'] = [];

  /** Renames the value `output` everywhere and appends `make(newName)`, which produces `output` anew. */
  const replaceOutput = (output: string, suffix: string, make: (inner: string) => NodeSpec) => {
    const inner = fresh(`${output}.${suffix}`);
    renames.set(output, inner);
    after.push(make(inner));
  };

  for (const step of plan.steps) {
    switch (step.kind) {
      case 'zipmap':
        dropped.add(step.node);
        after.push({ opType: 'Identity', inputs: [step.source], outputs: [step.output] });
        outputs.set(step.output, [{ name: step.output, type: tensorType(FLOAT) }]);
        break;
      case 'items': {
        const producer = g.nodes.find((n) => n.outputs.includes(step.output))!;
        const declared = g.outputs.find((o) => o.name === step.output)!.type;
        const elemType =
          declared.kind === 'sequence' && declared.elem.kind === 'tensor' ? declared.elem.elemType : 0;
        const list = step.items.map((name, i) => {
          if (taken.has(name))
            throw new UnsupportedModelError(`the graph already has a value named "${name}"`);
          taken.add(name);
          after.push({ opType: 'Identity', inputs: [producer.inputs[i]!], outputs: [name] });
          return { name, type: tensorType(elemType) };
        });
        outputs.set(step.output, list);
        break;
      }
      case 'stack': {
        replaceOutput(step.output, 'sequence', (inner) => ({
          opType: 'ConcatFromSequence',
          inputs: [inner],
          outputs: [step.output],
          attributes: { axis: { kind: 'int', value: 0 }, new_axis: { kind: 'int', value: 1 } },
        }));
        outputs.set(step.output, [{ name: step.output, type: tensorType(step.elemType) }]);
        break;
      }
      case 'optional': {
        const inner = fresh(`${step.output}.optional`);
        const flag = fresh(`${step.output}.present`);
        const [whenSet, whenEmpty] = [fresh(`${step.output}.value`), fresh(`${step.output}.empty`)];
        renames.set(step.output, inner);
        after.push({ opType: 'OptionalHasElement', inputs: [inner], outputs: [flag] });
        const branch = (name: string, node: NodeSpec) => ({
          kind: 'graph' as const,
          value: {
            name,
            inputs: [],
            outputs: [{ name: node.outputs[0]!, type: tensorType(step.elemType) }],
            nodes: [node],
          },
        });
        after.push({
          opType: 'If',
          inputs: [flag],
          outputs: [step.output],
          attributes: {
            then_branch: branch('present', {
              opType: 'OptionalGetElement',
              inputs: [inner],
              outputs: [whenSet],
            }),
            else_branch: branch('absent', {
              opType: 'Constant',
              inputs: [],
              outputs: [whenEmpty],
              attributes: { value: { kind: 'tensor', value: emptyTensor(step.elemType) } },
            }),
          },
        });
        outputs.set(step.output, [
          { name: step.output, type: tensorType(step.elemType) },
          { name: flag, type: { elemType: OnnxDataType.BOOL, shape: [] } },
        ]);
        presence.push({ output: step.output, flag });
        break;
      }
      case 'bf16-in': {
        const inner = fresh(`${step.input}.bf16`);
        renames.set(step.input, inner);
        before.push({
          opType: 'Cast',
          inputs: [step.input],
          outputs: [inner],
          attributes: { to: { kind: 'int', value: BFLOAT16 } },
        });
        const declared = g.inputs.find((i) => i.name === step.input)!.type;
        inputTypes.set(step.input, { elemType: FLOAT, shape: declaredShape(declared) });
        break;
      }
      case 'bf16-out': {
        replaceOutput(step.output, 'bf16', (inner) => ({
          opType: 'Cast',
          inputs: [inner],
          outputs: [step.output],
          attributes: { to: { kind: 'int', value: FLOAT } },
        }));
        const declared = g.outputs.find((o) => o.name === step.output)!.type;
        outputs.set(step.output, [
          { name: step.output, type: { elemType: FLOAT, shape: declaredShape(declared) } },
        ]);
        break;
      }
    }
  }

  const graph = new ProtoWriter();
  let nodeIndex = 0;
  const added = (n: NodeSpec) =>
    graph.message(GraphField.node, (w) =>
      writeNode(w, { ...n, name: `opsmesh_${n.opType.toLowerCase()}_${nodeIndex}` }, nodeIndex++),
    );
  for (const n of before) added(n);
  let inputIndex = 0;
  let outputIndex = 0;
  let original = 0;
  for (const f of g.fields) {
    if (f.field === GraphField.node) {
      if (!dropped.has(original)) {
        const node = renameInNode(f.bytes!, renames);
        graph.bytes(
          GraphField.node,
          needsLocale.has(original) ? withLocale(node, STRING_NORMALIZER_LOCALE!) : node,
        );
      }
      original++;
      if (original === g.nodes.length) for (const n of after) added(n);
    } else if (f.field === GraphField.input) {
      const input = g.inputs[inputIndex++]!;
      const type = inputTypes.get(input.name);
      if (type) graph.message(GraphField.input, (w) => writeValueInfo(w, { name: input.name, type }));
      else graph.raw(f.raw);
    } else if (f.field === GraphField.output) {
      const out = g.outputs[outputIndex++]!;
      const replaced = outputs.get(out.name);
      if (!replaced) graph.raw(f.raw);
      else for (const r of replaced) graph.message(GraphField.output, (w) => writeValueInfo(w, r));
    } else if (f.field === GraphField.valueInfo) graph.raw(renameValueInfo(f, renames));
    else graph.raw(f.raw);
  }
  if (g.nodes.length === 0) for (const n of after) added(n);

  const w = new ProtoWriter();
  for (const f of top) {
    if (f.field === ModelField.graph) w.bytes(ModelField.graph, graph.finish());
    else w.raw(f.raw);
  }
  return { bytes: w.finish(), plan, presence };
}

function declaredShape(t: ValueType): (number | string | null)[] | undefined {
  if (t.kind !== 'tensor' || !t.dims) return undefined;
  return t.dims.map((d) => ('value' in d ? d.value : d.param || null));
}
