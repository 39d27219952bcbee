import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { mlErrors } from '../errors.js';
import { type BlobRepository, CHUNK_BYTES, createBlobRepository } from '../models/blob-repository.js';
import type { MlDatabase } from '../models/db.js';

/**
 * Model files, addressed by their SHA-256. The database is the store every replica shares: a file
 * is written there in the same transaction as the version that first uses it, and removed in the
 * transaction that deletes its last version. Each replica keeps a local cache
 * (`<cacheDir>/ab/abcdef....onnx`) that is checked against the hash on every read: a missing or
 * corrupt copy is fetched from the database again. A file the store cannot give is a 503 (the
 * service's fault), never a 4xx blaming the caller.
 */

export interface ArtifactStore {
  readonly cacheDir: string;
  /** Inside the caller's transaction: the file in the store, written when new, locked until commit. */
  put(trx: Kysely<MlDatabase>, bytes: Uint8Array): Promise<{ sha256: string; sizeBytes: number }>;
  /** Inside the caller's transaction, after deleting a version: drops its file if nothing else uses it. */
  release(trx: Kysely<MlDatabase>, sha256: string): Promise<boolean>;
  /** The file's bytes, verified against its hash. */
  get(sha256: string): Promise<Uint8Array>;
  /** Removes this replica's cached copy (once the file left the store). */
  evict(sha256: string): Promise<void>;
  /**
   * Moves files that versions name but the database lacks (registered before files were kept
   * there) from this replica's directory into the database; returns what it moved and what no
   * one has.
   */
  importLocal(): Promise<{ imported: string[]; missing: string[] }>;
  /** Throws when the store cannot be read (readiness check); the cache is optional. */
  check(): Promise<void>;
}

export interface StoreLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function unavailable(sha256: string) {
  return mlErrors.ML_ARTIFACT_UNAVAILABLE({ sha256 });
}

async function putInto(blobs: BlobRepository, bytes: Uint8Array) {
  const sha256 = sha256Of(bytes);
  await blobs.lockSha(sha256);
  if (!(await blobs.info(sha256))) {
    const chunks = Math.ceil(bytes.length / CHUNK_BYTES);
    await blobs.insertHeader(sha256, bytes.length, chunks);
    for (let seq = 0; seq < chunks; seq++) {
      await blobs.insertChunk(sha256, seq, bytes.subarray(seq * CHUNK_BYTES, (seq + 1) * CHUNK_BYTES));
    }
  }
  return { sha256, sizeBytes: bytes.length };
}

export function createArtifactStore(options: {
  db: Kysely<MlDatabase>;
  cacheDir: string;
  logger: StoreLogger;
}): ArtifactStore {
  const { db, cacheDir, logger } = options;
  const blobs = createBlobRepository(db);
  const reading = new Map<string, Promise<Uint8Array>>();
  const pathOf = (sha: string) => {
    if (!/^[0-9a-f]{64}$/.test(sha)) throw new Error(`not a sha256: ${sha}`);
    return join(cacheDir, sha.slice(0, 2), `${sha}.onnx`);
  };

  /** The cached copy when it is whole and right; a bad one is removed. */
  async function fromCache(sha256: string): Promise<Uint8Array | null> {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(pathOf(sha256)));
    } catch (err) {
      if ((err as { code?: string }).code !== 'ENOENT')
        logger.warn({ sha256, err: (err as Error).message }, 'model cache unreadable; reading the store');
      return null;
    }
    if (sha256Of(bytes) === sha256) return bytes;
    logger.warn({ sha256 }, 'cached model file does not match its hash; fetching it again');
    await rm(pathOf(sha256), { force: true }).catch(() => {});
    return null;
  }

  async function fromStore(sha256: string): Promise<Uint8Array> {
    const info = await blobs.info(sha256).catch((err: Error) => {
      logger.error({ sha256, err: err.message }, 'model store unreadable');
      throw unavailable(sha256);
    });
    if (!info) {
      logger.error({ sha256 }, 'model file missing from the store; upload the version again');
      throw unavailable(sha256);
    }
    const bytes = new Uint8Array(info.sizeBytes);
    const hash = createHash('sha256');
    let at = 0;
    for (let seq = 0; seq < info.chunks; seq++) {
      const chunk = await blobs.chunk(sha256, seq).catch(() => undefined);
      if (!chunk || at + chunk.length > bytes.length) break;
      bytes.set(chunk, at);
      hash.update(chunk);
      at += chunk.length;
    }
    if (at !== info.sizeBytes || hash.digest('hex') !== sha256) {
      logger.error({ sha256, read: at, size: info.sizeBytes }, 'model file in the store is damaged');
      throw unavailable(sha256);
    }
    return bytes;
  }

  async function cache(sha256: string, bytes: Uint8Array): Promise<void> {
    const path = pathOf(sha256);
    const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(join(cacheDir, sha256.slice(0, 2)), { recursive: true });
      await writeFile(tmp, bytes);
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true }).catch(() => {});
      logger.warn({ sha256, err: (err as Error).message }, 'could not cache the model file locally');
    }
  }

  return {
    cacheDir,
    put: (trx, bytes) => putInto(createBlobRepository(trx), bytes),
    async release(trx, sha256) {
      const repo = createBlobRepository(trx);
      await repo.lockSha(sha256);
      return repo.deleteUnused(sha256);
    },
    get(sha256) {
      let pending = reading.get(sha256);
      if (!pending) {
        pending = (async () => {
          const cached = await fromCache(sha256);
          if (cached) return cached;
          const bytes = await fromStore(sha256);
          await cache(sha256, bytes);
          return bytes;
        })().finally(() => reading.delete(sha256));
        reading.set(sha256, pending);
      }
      return pending;
    },
    async evict(sha256) {
      await rm(pathOf(sha256), { force: true });
    },
    async importLocal() {
      const imported: string[] = [];
      const missing: string[] = [];
      for (const sha256 of await blobs.missing()) {
        const bytes = await fromCache(sha256);
        if (!bytes) {
          missing.push(sha256);
          continue;
        }
        await db.transaction().execute((trx) => putInto(createBlobRepository(trx), bytes));
        imported.push(sha256);
      }
      if (imported.length > 0) logger.info({ files: imported.length }, 'model files moved into the database');
      if (missing.length > 0) {
        logger.warn(
          { sha256: missing },
          'versions whose model file neither the database nor this replica holds; start a replica that has them, or upload them again',
        );
      }
      return { imported, missing };
    },
    async check() {
      await blobs.info('0'.repeat(64));
    },
  };
}
