import type { Kysely, Selectable } from 'kysely';
import type { TensorSignature } from '../onnx/signature-reader.js';
import type { BatchConfig, MlDatabase, ModelsTable, VersionSettingsRow, VersionsTable } from './db.js';
import { newId } from './ids.js';

/** Models and their versions: one small method per query, rows mapped to plain records. */

export interface ModelRecord {
  id: string;
  name: string;
  description: string;
  owner: string;
  batchConfig: BatchConfig;
  createdAt: Date;
  updatedAt: Date;
}

export interface VersionRecord {
  id: string;
  modelId: string;
  version: number;
  sha256: string;
  sizeBytes: number;
  inputs: TensorSignature[];
  outputs: TensorSignature[];
  metadata: Record<string, string>;
  settings: VersionSettingsRow;
  description: string;
  createdBy: string;
  createdAt: Date;
}

const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

export function toModel(row: Selectable<ModelsTable>): ModelRecord {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    owner: row.owner,
    batchConfig: json<BatchConfig>(row.batch_config),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

export function toVersion(row: Selectable<VersionsTable>): VersionRecord {
  return {
    id: row.id,
    modelId: row.model_id,
    version: Number(row.version),
    sha256: row.sha256,
    sizeBytes: Number(row.size_bytes),
    inputs: json<TensorSignature[]>(row.inputs),
    outputs: json<TensorSignature[]>(row.outputs),
    metadata: json<Record<string, string>>(row.metadata),
    settings: json<VersionSettingsRow>(row.settings ?? {}),
    description: row.description,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at),
  };
}

export function createModelRepository(db: Kysely<MlDatabase>) {
  return {
    async list(limit: number, offset: number): Promise<ModelRecord[]> {
      const rows = await db
        .selectFrom('ml_models')
        .selectAll()
        .orderBy('name')
        .limit(limit)
        .offset(offset)
        .execute();
      return rows.map(toModel);
    },
    async count(): Promise<number> {
      const row = await db
        .selectFrom('ml_models')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async findById(id: string): Promise<ModelRecord | undefined> {
      const row = await db.selectFrom('ml_models').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toModel(row);
    },
    async findByName(name: string): Promise<ModelRecord | undefined> {
      const row = await db.selectFrom('ml_models').selectAll().where('name', '=', name).executeTakeFirst();
      return row && toModel(row);
    },
    /** Locks the model row for the rest of the transaction (version numbering, alias moves). */
    async lockByName(name: string): Promise<ModelRecord | undefined> {
      const row = await db
        .selectFrom('ml_models')
        .selectAll()
        .where('name', '=', name)
        .forUpdate()
        .executeTakeFirst();
      return row && toModel(row);
    },
    async insert(m: { name: string; description: string; owner: string }): Promise<ModelRecord | undefined> {
      const row = await db
        .insertInto('ml_models')
        .values({
          id: newId('mdl'),
          name: m.name,
          description: m.description,
          owner: m.owner,
          batch_config: '{}',
        })
        .onConflict((oc) => oc.column('name').doNothing())
        .returningAll()
        .executeTakeFirst();
      return row && toModel(row);
    },
    async update(
      id: string,
      patch: { description?: string; batchConfig?: BatchConfig },
    ): Promise<ModelRecord> {
      const row = await db
        .updateTable('ml_models')
        .set({
          ...(patch.description !== undefined ? { description: patch.description } : {}),
          ...(patch.batchConfig !== undefined ? { batch_config: JSON.stringify(patch.batchConfig) } : {}),
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toModel(row);
    },
    async delete(id: string): Promise<void> {
      await db.deleteFrom('ml_models').where('id', '=', id).execute();
    },

    /** A model's versions in order; `page` asks for `limit` of them from `offset`. */
    async listVersions(modelId: string, page?: { limit: number; offset: number }): Promise<VersionRecord[]> {
      let q = db
        .selectFrom('ml_model_versions')
        .selectAll()
        .where('model_id', '=', modelId)
        .orderBy('version');
      if (page) q = q.limit(page.limit).offset(page.offset);
      return (await q.execute()).map(toVersion);
    },
    async findVersion(modelId: string, version: number): Promise<VersionRecord | undefined> {
      const row = await db
        .selectFrom('ml_model_versions')
        .selectAll()
        .where('model_id', '=', modelId)
        .where('version', '=', version)
        .executeTakeFirst();
      return row && toVersion(row);
    },
    async findVersionById(id: string): Promise<VersionRecord | undefined> {
      const row = await db
        .selectFrom('ml_model_versions')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toVersion(row);
    },
    async latestVersion(modelId: string): Promise<VersionRecord | undefined> {
      const row = await db
        .selectFrom('ml_model_versions')
        .selectAll()
        .where('model_id', '=', modelId)
        .orderBy('version', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row && toVersion(row);
    },
    async updateVersionSettings(id: string, settings: VersionSettingsRow): Promise<VersionRecord> {
      const row = await db
        .updateTable('ml_model_versions')
        .set({ settings: JSON.stringify(settings) })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toVersion(row);
    },
    /** Every version of every model, by model name then number: what the V2 repository index lists. */
    async listVersionRefs(): Promise<{ id: string; model: string; version: number }[]> {
      const rows = await db
        .selectFrom('ml_model_versions as v')
        .innerJoin('ml_models as m', 'm.id', 'v.model_id')
        .select(['v.id as id', 'm.name as model', 'v.version as version'])
        .orderBy('m.name')
        .orderBy('v.version')
        .execute();
      return rows.map((r) => ({ id: r.id, model: r.model, version: Number(r.version) }));
    },
    async countVersions(modelId: string): Promise<number> {
      const row = await db
        .selectFrom('ml_model_versions')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('model_id', '=', modelId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async insertVersion(
      v: Omit<VersionRecord, 'id' | 'version' | 'createdAt' | 'settings'>,
    ): Promise<VersionRecord> {
      // Callers hold the model row lock, so max + 1 cannot race.
      const max = await db
        .selectFrom('ml_model_versions')
        .select((eb) => eb.fn.max<number>('version').as('v'))
        .where('model_id', '=', v.modelId)
        .executeTakeFirst();
      const row = await db
        .insertInto('ml_model_versions')
        .values({
          id: newId('ver'),
          model_id: v.modelId,
          version: Number(max?.v ?? 0) + 1,
          sha256: v.sha256,
          size_bytes: v.sizeBytes,
          inputs: JSON.stringify(v.inputs),
          outputs: JSON.stringify(v.outputs),
          metadata: JSON.stringify(v.metadata),
          description: v.description,
          created_by: v.createdBy,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toVersion(row);
    },
    async deleteVersion(id: string): Promise<void> {
      await db.deleteFrom('ml_model_versions').where('id', '=', id).execute();
    },
  };
}

export type ModelRepository = ReturnType<typeof createModelRepository>;
