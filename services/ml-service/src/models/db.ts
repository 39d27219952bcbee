import type { ColumnType, Generated } from 'kysely';
import type { TensorSignature } from '../onnx/signature-reader.js';

/** Row shapes of the ML service's own database (migrations/). Never leave the models/ folder. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface BatchConfig {
  enabled?: boolean;
  maxBatch?: number;
  maxDelayMs?: number;
  maxQueueRows?: number;
}

export interface ModelsTable {
  id: string;
  name: string;
  description: Generated<string>;
  owner: string;
  batch_config: Json<BatchConfig>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Per-version settings (unset ones follow the service's defaults). */
export interface VersionSettingsRow {
  batching?: 'on' | 'off' | 'auto';
  maxOutputElements?: number;
  maxOutputBytes?: number;
  timeoutMs?: number;
}

export interface VersionsTable {
  id: string;
  model_id: string;
  version: number;
  sha256: string;
  size_bytes: ColumnType<number, number, number>;
  inputs: Json<TensorSignature[]>;
  outputs: Json<TensorSignature[]>;
  metadata: Json<Record<string, string>>;
  settings: ColumnType<VersionSettingsRow, string | undefined, string>;
  description: Generated<string>;
  created_by: string;
  created_at: Timestamp;
}

export interface AliasesTable {
  model_id: string;
  alias: string;
  version_id: string;
  updated_by: string;
  updated_at: Timestamp;
}

export interface AliasHistoryTable {
  id: string;
  model_id: string;
  alias: string;
  from_version: number | null;
  to_version: number | null;
  action: 'move' | 'rollback' | 'delete';
  changed_by: string;
  changed_at: Timestamp;
  seq: Generated<number>;
}

export interface PredictionLogTable {
  id: string;
  model_id: string;
  model_name: string;
  version: number;
  endpoint: string;
  caller: string;
  request_id: string;
  latency_ms: number;
  rows: number;
  input_summary: Json<unknown>;
  outputs: Json<unknown>;
  created_at: Timestamp;
  seq: Generated<number>;
}

export interface BlobsTable {
  sha256: string;
  size_bytes: ColumnType<number, number, number>;
  chunks: number;
  created_at: Generated<Date>;
}

export interface BlobChunksTable {
  sha256: string;
  seq: number;
  data: Uint8Array;
}

export interface MlDatabase {
  ml_blobs: BlobsTable;
  ml_blob_chunks: BlobChunksTable;
  ml_models: ModelsTable;
  ml_model_versions: VersionsTable;
  ml_aliases: AliasesTable;
  ml_alias_history: AliasHistoryTable;
  ml_prediction_log: PredictionLogTable;
}
