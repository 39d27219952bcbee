import type { VersionRecord } from '../models/model-repository.js';
import type { ModelLoader, Serving } from './model-loader.js';
import type { ModelSummary } from './registry-service.js';

/** How a registered version is served on this replica (loaded, batching decision, limits). */
export function servingOf(
  loader: ModelLoader,
  model: Pick<ModelSummary, 'batchConfig'>,
  v: VersionRecord,
): Serving {
  return loader.servingOf({
    id: v.id,
    signature: { inputs: v.inputs, outputs: v.outputs },
    settings: v.settings,
    batch: model.batchConfig,
  });
}
