import type { AliasHistoryRecord, AliasRecord } from '../models/alias-repository.js';
import type { VersionRecord } from '../models/model-repository.js';
import type { PredictionRecord } from '../models/prediction.js';
import type { TensorSignature } from '../onnx/signature-reader.js';
import type { Serving } from '../services/model-loader.js';
import type { ModelSummary } from '../services/registry-service.js';

/** Records -> API shapes of @opsmesh/contracts (ml.ts). */

export const tensorSpec = (t: TensorSignature) => ({
  name: t.name,
  datatype: t.datatype,
  shape: t.dims.map((d) => ('value' in d ? d.value : d.param || '?')),
  ...(t.anyRank ? { anyRank: true } : {}),
  ...(t.labels ? { labels: t.labels } : {}),
  ...(t.optional ? { optional: true } : {}),
  ...(t.from ? { from: t.from } : {}),
});

export const modelView = (m: ModelSummary) => ({
  id: m.id,
  name: m.name,
  description: m.description,
  owner: m.owner,
  latestVersion: m.latestVersion,
  aliases: m.aliases,
  batching: m.batchConfig,
  createdAt: m.createdAt.toISOString(),
  updatedAt: m.updatedAt.toISOString(),
});

export const versionView = (model: string, v: VersionRecord & { aliases: string[] }, serving: Serving) => ({
  id: v.id,
  model,
  version: v.version,
  sha256: v.sha256,
  sizeBytes: v.sizeBytes,
  inputs: v.inputs.map(tensorSpec),
  outputs: v.outputs.map(tensorSpec),
  metadata: v.metadata,
  description: v.description,
  aliases: v.aliases,
  loaded: serving.loaded,
  settings: { batching: serving.batching.mode, limits: serving.limits },
  batching: serving.batching,
  createdBy: v.createdBy,
  createdAt: v.createdAt.toISOString(),
});

export const aliasView = (model: string, a: AliasRecord) => ({
  alias: a.alias,
  model,
  version: a.version,
  updatedBy: a.updatedBy,
  updatedAt: a.updatedAt.toISOString(),
});

export const historyView = (h: AliasHistoryRecord) => ({ ...h, changedAt: h.changedAt.toISOString() });

export const predictionView = (p: PredictionRecord) => ({ ...p, createdAt: p.createdAt.toISOString() });
