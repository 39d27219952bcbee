import { notifyChange, type PageRequest } from '@opsmesh/shared';
import type { Kysely } from 'kysely';
import { mlErrors } from '../errors.js';
import type { WorkerPool } from '../inference/worker-pool.js';
import { type AliasRecord, createAliasRepository } from '../models/alias-repository.js';
import type { BatchConfig, MlDatabase } from '../models/db.js';
import { createModelRepository, type ModelRecord, type VersionRecord } from '../models/model-repository.js';
import type { ArtifactStore } from './artifact-store.js';
import type { LoadableVersion, ModelLoader } from './model-loader.js';
import { DEFAULT_ALIAS, formatRef, type ModelRef } from './model-ref.js';
import { validateUpload } from './model-validator.js';
import { REGISTRY_CHANNEL, type RegistryChange } from './registry-sync.js';

/**
 * The model registry: models, versions (validated ONNX files stored by SHA-256) and
 * aliases. Every alias move runs in one transaction holding the model row lock and is
 * recorded, so it can be audited and rolled back.
 */

export interface RegistryDeps {
  db: Kysely<MlDatabase>;
  store: ArtifactStore;
  pool: WorkerPool;
  loader: ModelLoader;
  logger: { info: (o: object, m: string) => void; warn: (o: object, m: string) => void };
  /** How long a resolved name stays cached; other instances' alias moves show up within it. */
  resolveCacheMs?: number;
  /** Versions one model may hold (ML_MAX_VERSIONS_PER_MODEL). */
  maxVersions?: number;
  /** Aliases one model may hold (ML_MAX_ALIASES_PER_MODEL). */
  maxAliases?: number;
}

export interface ModelSummary extends ModelRecord {
  latestVersion: number | null;
  aliases: Record<string, number>;
}

export interface Resolved {
  model: ModelRecord;
  version: VersionRecord;
  alias: string | undefined;
  loadable: LoadableVersion;
}

export interface UploadInput {
  name: string;
  bytes: Uint8Array;
  by: string;
  description?: string;
  metadata?: Record<string, string>;
}

function loadableOf(model: ModelRecord, v: VersionRecord): LoadableVersion {
  return {
    id: v.id,
    modelName: model.name,
    version: v.version,
    sha256: v.sha256,
    sizeBytes: v.sizeBytes,
    signature: { inputs: v.inputs, outputs: v.outputs },
    batch: model.batchConfig,
    settings: v.settings,
  };
}

export function createRegistryService(deps: RegistryDeps) {
  const models = createModelRepository(deps.db);
  const aliases = createAliasRepository(deps.db);
  const cache = new Map<string, { at: number; value: Resolved }>();
  const ttl = deps.resolveCacheMs ?? 2000;
  let validations = 0;

  const invalidate = () => cache.clear();
  /** Tells every replica (this one included) what changed, on commit of `db`'s transaction. */
  const announce = (db: Kysely<MlDatabase>, change: RegistryChange) =>
    notifyChange(db, REGISTRY_CHANNEL, JSON.stringify(change));

  const requireModel = async (name: string) => {
    const m = await models.findByName(name);
    if (!m) throw mlErrors.ML_MODEL_NOT_FOUND({ name });
    return m;
  };
  const requireVersion = async (m: ModelRecord, version: number) => {
    const v = await models.findVersion(m.id, version);
    if (!v) throw mlErrors.ML_VERSION_NOT_FOUND({ name: m.name, version });
    return v;
  };

  const validate = (bytes: Uint8Array) => validateUpload(deps.pool, bytes, `validate#${++validations}`);

  /** Stores the file and registers the next version of `m`, inside the caller's transaction. */
  async function insertVersion(
    trx: Kysely<MlDatabase>,
    m: ModelRecord,
    input: UploadInput,
    signature: Awaited<ReturnType<typeof validate>>,
  ): Promise<VersionRecord> {
    // Callers hold the model row lock, so the count cannot race another upload.
    const max = deps.maxVersions ?? 1000;
    if ((await createModelRepository(trx).countVersions(m.id)) >= max)
      throw mlErrors.ML_TOO_MANY_VERSIONS({ name: m.name, max });
    const { sha256, sizeBytes } = await deps.store.put(trx, input.bytes);
    const v = await createModelRepository(trx).insertVersion({
      modelId: m.id,
      sha256,
      sizeBytes,
      inputs: signature.inputs,
      outputs: signature.outputs,
      metadata: { ...signature.metadata, ...input.metadata },
      description: input.description ?? '',
      createdBy: input.by,
    });
    await announce(trx, { kind: 'versions', model: m.name });
    return v;
  }

  async function unloadModel(name: string) {
    for (const e of deps.loader.loaded().filter((l) => l.version.modelName === name))
      await deps.loader.unload(e.version.id);
  }

  async function versionsOf(name: string, page?: PageRequest) {
    const m = await requireModel(name);
    const [versions, list, total] = await Promise.all([
      models.listVersions(m.id, page),
      aliases.list(m.id),
      page ? models.countVersions(m.id) : undefined,
    ]);
    const items = versions.map((v) => ({
      ...v,
      aliases: list.filter((a) => a.versionId === v.id).map((a) => a.alias),
    }));
    return { items, total: total ?? items.length };
  }

  async function summary(m: ModelRecord): Promise<ModelSummary> {
    const [latest, list] = await Promise.all([models.latestVersion(m.id), aliases.list(m.id)]);
    return {
      ...m,
      latestVersion: latest?.version ?? null,
      aliases: Object.fromEntries(list.map((a) => [a.alias, a.version])),
    };
  }

  /**
   * Points `alias` at `version`. The target is loaded and warmed up first, so the first
   * requests after the move do not pay for loading; requests already running on the old
   * version finish there.
   */
  async function moveAlias(
    name: string,
    alias: string,
    version: number,
    by: string,
    action: 'move' | 'rollback' = 'move',
  ) {
    const m = await requireModel(name);
    const target = await requireVersion(m, version);
    await deps.loader.get(loadableOf(m, target)).catch((err: Error) => {
      deps.logger.warn({ model: name, version, err: err.message }, 'preloading the alias target failed');
    });
    const result = await deps.db.transaction().execute(async (trx) => {
      const repo = createAliasRepository(trx);
      await createModelRepository(trx).lockByName(name);
      const current = await repo.find(m.id, alias);
      if (current?.versionId === target.id) return { changed: false };
      // Under the model row lock, so two new aliases cannot both pass the count.
      const maxAliases = deps.maxAliases ?? 100;
      if (!current && (await repo.list(m.id)).length >= maxAliases)
        throw mlErrors.ML_TOO_MANY_ALIASES({ name, max: maxAliases });
      await repo.upsert(m.id, alias, target.id, by);
      await repo.record(m.id, {
        alias,
        fromVersion: current?.version ?? null,
        toVersion: version,
        action,
        changedBy: by,
      });
      await announce(trx, { kind: 'alias', model: name, versionId: target.id });
      return { changed: true, from: current?.version ?? null };
    });
    invalidate();
    if (result.changed)
      deps.logger.info({ model: name, alias, from: result.from, to: version, by, action }, 'alias moved');
    return (await aliases.find(m.id, alias))!;
  }

  return {
    invalidate,
    async listModels(limit: number, offset: number) {
      const [items, total] = await Promise.all([models.list(limit, offset), models.count()]);
      return { items: await Promise.all(items.map(summary)), total };
    },
    async getModel(name: string) {
      return summary(await requireModel(name));
    },
    async createModel(input: { name: string; description?: string; owner: string }) {
      const m = await models.insert({
        name: input.name,
        description: input.description ?? '',
        owner: input.owner,
      });
      if (!m) throw mlErrors.ML_MODEL_EXISTS({ name: input.name });
      return summary(m);
    },
    async updateModel(name: string, patch: { description?: string; batching?: BatchConfig }) {
      const m = await requireModel(name);
      const batchConfig = patch.batching ? { ...m.batchConfig, ...patch.batching } : undefined;
      const updated = await deps.db.transaction().execute(async (trx) => {
        const row = await createModelRepository(trx).update(m.id, {
          description: patch.description,
          batchConfig,
        });
        // Loaded versions pick up new batch settings when they load again, on every replica.
        await announce(
          trx,
          batchConfig ? { kind: 'reload', model: name } : { kind: 'versions', model: name },
        );
        return row;
      });
      invalidate();
      if (batchConfig) await unloadModel(name);
      return summary(updated);
    },
    async deleteModel(name: string) {
      const { versions, freed } = await deps.db.transaction().execute(async (trx) => {
        const repo = createModelRepository(trx);
        const m = await repo.lockByName(name);
        if (!m) throw mlErrors.ML_MODEL_NOT_FOUND({ name });
        const list = await createAliasRepository(trx).list(m.id);
        if (list.length > 0) throw mlErrors.ML_MODEL_IN_USE({ name, aliases: list.map((a) => a.alias) });
        const versions = await repo.listVersions(m.id);
        await repo.delete(m.id);
        const freed: string[] = [];
        for (const sha of new Set(versions.map((v) => v.sha256)))
          if (await deps.store.release(trx, sha)) freed.push(sha);
        await announce(trx, { kind: 'unload', model: name, versionIds: versions.map((v) => v.id) });
        return { versions, freed };
      });
      invalidate();
      for (const v of versions) await deps.loader.unload(v.id);
      for (const sha of freed) await deps.store.evict(sha);
    },
    listVersionRefs: () => models.listVersionRefs(),
    /**
     * Changes a version's settings (batching mode, limits); `"default"` returns one to the default.
     * The version is unloaded on every replica, so the new settings take effect at its next request.
     */
    async updateVersionSettings(name: string, version: number, patch: Record<string, unknown>) {
      const m = await requireModel(name);
      const v = await requireVersion(m, version);
      const settings: Record<string, unknown> = { ...v.settings };
      for (const [k, value] of Object.entries(patch)) {
        if (value === 'default') delete settings[k];
        else if (value !== undefined) settings[k] = value;
      }
      const updated = await deps.db.transaction().execute(async (trx) => {
        const row = await createModelRepository(trx).updateVersionSettings(
          v.id,
          settings as VersionRecord['settings'],
        );
        await announce(trx, { kind: 'unload', model: name, versionIds: [v.id] });
        return row;
      });
      invalidate();
      await deps.loader.unload(v.id);
      deps.logger.info({ model: name, version, settings }, 'version settings changed');
      return { ...updated, aliases: await aliases.aliasesOfVersion(v.id) };
    },
    /** A model's versions with their aliases: all of them, or one page and how many there are. */
    async listVersions(name: string) {
      return (await versionsOf(name)).items;
    },
    pageVersions: (name: string, page: PageRequest) => versionsOf(name, page),
    async getVersion(name: string, version: number) {
      const m = await requireModel(name);
      const v = await requireVersion(m, version);
      return { ...v, aliases: await aliases.aliasesOfVersion(v.id) };
    },
    /** Validates, stores and registers a new version; creates the model when it does not exist. */
    async uploadVersion(input: UploadInput) {
      const signature = await validate(input.bytes);
      const version = await deps.db.transaction().execute(async (trx) => {
        const repo = createModelRepository(trx);
        await repo.insert({ name: input.name, description: '', owner: input.by });
        const m = (await repo.lockByName(input.name))!;
        return insertVersion(trx, m, input, signature);
      });
      invalidate();
      deps.logger.info(
        { model: input.name, version: version.version, sha256: version.sha256, sizeBytes: version.sizeBytes },
        'model version registered',
      );
      return { ...version, aliases: [] as string[] };
    },
    /**
     * Creates `input.name` with its first version under `alias`, unless the model exists: the
     * shipped-model bootstrap. Replicas starting together race on the model's unique name inside
     * one transaction each, so exactly one registers it. Null when the model was already there.
     */
    async registerOnce(input: UploadInput & { alias: string }) {
      const signature = await validate(input.bytes);
      const version = await deps.db.transaction().execute(async (trx) => {
        const repo = createModelRepository(trx);
        const m = await repo.insert({
          name: input.name,
          description: input.description ?? '',
          owner: input.by,
        });
        if (!m) return null;
        const v = await insertVersion(trx, m, input, signature);
        const aliasRepo = createAliasRepository(trx);
        await aliasRepo.upsert(m.id, input.alias, v.id, input.by);
        await aliasRepo.record(m.id, {
          alias: input.alias,
          fromVersion: null,
          toVersion: v.version,
          action: 'move',
          changedBy: input.by,
        });
        await announce(trx, { kind: 'alias', model: input.name, versionId: v.id });
        return v;
      });
      invalidate();
      return version;
    },
    async deleteVersion(name: string, version: number) {
      const m = await requireModel(name);
      const v = await deps.db.transaction().execute(async (trx) => {
        const repo = createModelRepository(trx);
        await repo.lockByName(name);
        const found = await repo.findVersion(m.id, version);
        if (!found) throw mlErrors.ML_VERSION_NOT_FOUND({ name, version });
        const using = await createAliasRepository(trx).aliasesOfVersion(found.id);
        if (using.length > 0) throw mlErrors.ML_VERSION_IN_USE({ name, version, aliases: using });
        await repo.deleteVersion(found.id);
        const freed = await deps.store.release(trx, found.sha256);
        await announce(trx, { kind: 'unload', model: name, versionIds: [found.id] });
        return { ...found, freed };
      });
      invalidate();
      await deps.loader.unload(v.id);
      if (v.freed) await deps.store.evict(v.sha256);
    },
    /**
     * Unloads versions (every loaded version of the model without `versionIds`) on every replica:
     * the V2 repository `unload`. They load again on next use.
     */
    async unload(name: string, versionIds?: string[]) {
      if (!versionIds) {
        await unloadModel(name);
        await announce(deps.db, { kind: 'reload', model: name });
        return;
      }
      for (const id of versionIds) await deps.loader.unload(id);
      await announce(deps.db, { kind: 'unload', model: name, versionIds });
    },
    /** The loadable form of a version by id, for preloading an alias target another replica moved. */
    async loadableById(versionId: string): Promise<LoadableVersion | undefined> {
      const v = await models.findVersionById(versionId);
      const m = v && (await models.findById(v.modelId));
      return m && v ? loadableOf(m, v) : undefined;
    },
    async listAliases(name: string): Promise<AliasRecord[]> {
      return aliases.list((await requireModel(name)).id);
    },
    async aliasHistory(name: string, alias: string, page: PageRequest) {
      return aliases.historyPage((await requireModel(name)).id, alias, page);
    },
    moveAlias,
    unloadModel,
    /** Moves the alias back to where its last move came from. */
    async rollbackAlias(name: string, alias: string, by: string) {
      const m = await requireModel(name);
      const current = await aliases.find(m.id, alias);
      if (!current) throw mlErrors.ML_ALIAS_NOT_FOUND({ name, alias });
      const last = (await aliases.history(m.id, alias, 1))[0];
      if (!last || last.toVersion !== current.version || last.fromVersion === null) {
        throw mlErrors.ML_NOTHING_TO_ROLL_BACK({ name, alias });
      }
      if (!(await models.findVersion(m.id, last.fromVersion)))
        throw mlErrors.ML_NOTHING_TO_ROLL_BACK({ name, alias });
      return moveAlias(name, alias, last.fromVersion, by, 'rollback');
    },
    async deleteAlias(name: string, alias: string, by: string) {
      const m = await requireModel(name);
      await deps.db.transaction().execute(async (trx) => {
        const repo = createAliasRepository(trx);
        await createModelRepository(trx).lockByName(name);
        const current = await repo.find(m.id, alias);
        if (!current) throw mlErrors.ML_ALIAS_NOT_FOUND({ name, alias });
        await repo.delete(m.id, alias);
        await repo.record(m.id, {
          alias,
          fromVersion: current.version,
          toVersion: null,
          action: 'delete',
          changedBy: by,
        });
        await announce(trx, { kind: 'versions', model: name });
      });
      invalidate();
    },
    /** Finds the version a reference names; cached briefly because it sits on every inference. */
    async resolve(ref: ModelRef): Promise<Resolved> {
      const key = `${ref.name}|${ref.alias ?? ''}|${ref.version ?? ''}`;
      const hit = cache.get(key);
      if (hit && Date.now() - hit.at < ttl) return hit.value;
      const m = await requireModel(ref.name);
      let version: VersionRecord | undefined;
      let alias: string | undefined;
      if (ref.version !== undefined) version = await requireVersion(m, ref.version);
      else if (ref.alias !== undefined) {
        const a = await aliases.find(m.id, ref.alias);
        if (!a) throw mlErrors.ML_ALIAS_NOT_FOUND({ name: m.name, alias: ref.alias });
        version = await models.findVersionById(a.versionId);
        alias = ref.alias;
      } else {
        const a = await aliases.find(m.id, DEFAULT_ALIAS);
        version = a ? await models.findVersionById(a.versionId) : await models.latestVersion(m.id);
        alias = a ? DEFAULT_ALIAS : undefined;
      }
      if (!version) throw mlErrors.ML_NO_VERSIONS({ name: formatRef(ref) });
      const value: Resolved = { model: m, version, alias, loadable: loadableOf(m, version) };
      if (cache.size > 10_000) cache.clear();
      cache.set(key, { at: Date.now(), value });
      return value;
    },
    loadableOf,
  };
}

export type RegistryService = ReturnType<typeof createRegistryService>;
