import type { TensorSignature } from '../onnx/signature-reader.js';

/**
 * Exporters name the dynamic dimensions that inputs share: `torch.onnx.export` writes
 * `batch_size` and `sequence` on both `input_ids` and `attention_mask`. Two inputs given
 * different sizes for one named dimension contradict the model; without this check the runtime
 * finds out deep in the graph and names an internal node (`Mul node ... broadcast 2 by 3`).
 * Unnamed dimensions (`param` empty) promise nothing and are not compared.
 *
 * @example
 * namedDimConflict(
 *   [{ name: 'ids', dims: [{ param: 'batch' }, { param: 'seq' }] }, { name: 'mask', dims: [{ param: 'batch' }, { param: 'seq' }] }],
 *   { ids: [1, 3], mask: [1, 2] },
 * ) // 'inputs "ids" and "mask" share dimension "seq" but give it 3 and 2'
 */
export function namedDimConflict(
  sig: readonly Pick<TensorSignature, 'name' | 'dims'>[],
  shapes: Readonly<Record<string, readonly number[] | undefined>>,
): string | undefined {
  const seen = new Map<string, { input: string; size: number }>();
  for (const s of sig) {
    const shape = shapes[s.name];
    if (!shape) continue;
    for (const [i, d] of s.dims.entries()) {
      if (!('param' in d) || d.param === '' || shape[i] === undefined) continue;
      const first = seen.get(d.param);
      if (!first) seen.set(d.param, { input: s.name, size: shape[i]! });
      else if (first.size !== shape[i]) {
        const where =
          first.input === s.name ? `input "${s.name}" uses` : `inputs "${first.input}" and "${s.name}" share`;
        return `${where} dimension "${d.param}" but ${first.input === s.name ? 'gives' : 'give'} it ${first.size} and ${shape[i]}`;
      }
    }
  }
  return undefined;
}
