import { type ChangeWatch, type DatabaseSession, watchChanges } from '@opsmesh/shared';
import type { ModelLoader } from './model-loader.js';
import type { RegistryService } from './registry-service.js';

/**
 * Keeps every replica's view of the registry current. Each change is announced on the
 * `ml_registry` channel in the transaction that makes it; every replica (the one making it
 * included) then drops its resolved-name cache and acts on the change: an alias moved to a version
 * is loaded and warmed up where that model is served, unloaded versions are unloaded, and a model
 * whose batch settings changed loads afresh. A periodic resync also unloads versions that were
 * deleted while a notification was missed.
 */

export const REGISTRY_CHANNEL = 'ml_registry';

export type RegistryChange =
  | { kind: 'alias'; model: string; versionId: string }
  | { kind: 'versions'; model: string }
  | { kind: 'unload'; model: string; versionIds: string[] }
  | { kind: 'reload'; model: string };

function parse(payload: string): RegistryChange | null {
  try {
    const change = JSON.parse(payload) as RegistryChange;
    return typeof change?.kind === 'string' && typeof change.model === 'string' ? change : null;
  } catch {
    return null;
  }
}

export interface SyncLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export function applyRegistryChange(
  deps: { registry: RegistryService; loader: ModelLoader; logger: SyncLogger },
  payload: string | null,
): Promise<void> {
  const { registry, loader, logger } = deps;
  registry.invalidate();
  const change = payload === null ? null : parse(payload);
  if (!change) return resync();
  switch (change.kind) {
    case 'unload':
      return unloadAll(change.versionIds);
    case 'reload':
      return registry.unloadModel(change.model);
    case 'alias':
      return preload(change.model, change.versionId);
    default:
      return Promise.resolve();
  }

  async function unloadAll(ids: readonly string[]) {
    for (const id of ids) await loader.unload(id);
  }

  /** Warms an alias's new target up, where this replica serves the model, before traffic turns to it. */
  async function preload(model: string, versionId: string) {
    if (loader.isLoaded(versionId)) return;
    if (!loader.loaded().some((e) => e.version.modelName === model)) return;
    const loadable = await registry.loadableById(versionId);
    if (!loadable) return;
    await loader.get(loadable).then(
      () => logger.info({ model, versionId }, 'alias target loaded after a move on another replica'),
      (err: Error) =>
        logger.warn({ model, versionId, err: err.message }, 'preloading the alias target failed'),
    );
  }

  async function resync() {
    const gone: string[] = [];
    for (const e of loader.loaded()) {
      if (!(await registry.loadableById(e.version.id))) gone.push(e.version.id);
    }
    await unloadAll(gone);
  }
}

/** Starts following the registry's changes; close the returned watch on shutdown. */
export function startRegistrySync(
  database: { openSession(): Promise<DatabaseSession> },
  deps: {
    registry: RegistryService;
    loader: ModelLoader;
    logger: SyncLogger & { error(o: object, m: string): void };
  },
  options: { resyncMs?: number } = {},
): Promise<ChangeWatch> {
  return watchChanges(database, REGISTRY_CHANNEL, (payload) => applyRegistryChange(deps, payload), {
    ...options,
    onError: (err) => deps.logger.warn({ err: (err as Error).message }, 'registry change feed interrupted'),
  });
}
