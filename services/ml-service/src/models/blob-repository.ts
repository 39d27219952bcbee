import { type Kysely, sql } from 'kysely';
import type { MlDatabase } from './db.js';

/**
 * Model files by SHA-256, in chunks: the store every replica reads. One small method per query;
 * writers hold the file's lock (`lockSha`) so an upload and the deletion of the last version using
 * the same file cannot interleave.
 */

/** Chunk size: small enough for one parameter, large enough that a 100 MB model is 100 rows. */
export const CHUNK_BYTES = 1024 * 1024;

/** First key of the per-file advisory locks ("mlbl"); the second is the hash of the SHA-256. */
const BLOB_LOCK_SPACE = 0x6d6c626c;

export interface BlobInfo {
  sha256: string;
  sizeBytes: number;
  chunks: number;
}

export function createBlobRepository(db: Kysely<MlDatabase>) {
  return {
    /** Serialises writers of one file until the end of the caller's transaction. */
    async lockSha(sha256: string): Promise<void> {
      await sql`select pg_advisory_xact_lock(${BLOB_LOCK_SPACE}::int, hashtext(${sha256}))`.execute(db);
    },
    async info(sha256: string): Promise<BlobInfo | undefined> {
      const row = await db
        .selectFrom('ml_blobs')
        .select(['sha256', 'size_bytes', 'chunks'])
        .where('sha256', '=', sha256)
        .executeTakeFirst();
      return row && { sha256: row.sha256, sizeBytes: Number(row.size_bytes), chunks: row.chunks };
    },
    async insertHeader(sha256: string, sizeBytes: number, chunks: number): Promise<void> {
      await db.insertInto('ml_blobs').values({ sha256, size_bytes: sizeBytes, chunks }).execute();
    },
    async insertChunk(sha256: string, seq: number, data: Uint8Array): Promise<void> {
      await db.insertInto('ml_blob_chunks').values({ sha256, seq, data }).execute();
    },
    async chunk(sha256: string, seq: number): Promise<Uint8Array | undefined> {
      const row = await db
        .selectFrom('ml_blob_chunks')
        .select('data')
        .where('sha256', '=', sha256)
        .where('seq', '=', seq)
        .executeTakeFirst();
      return row?.data;
    },
    /** Deletes the file when no version uses it any more; true when it went. */
    async deleteUnused(sha256: string): Promise<boolean> {
      const res = await db
        .deleteFrom('ml_blobs')
        .where('sha256', '=', sha256)
        .where((eb) =>
          eb.not(eb.exists(eb.selectFrom('ml_model_versions').select('id').where('sha256', '=', sha256))),
        )
        .executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },
    /** Files versions name that the store lacks: versions registered before files moved here. */
    async missing(): Promise<string[]> {
      const rows = await db
        .selectFrom('ml_model_versions as v')
        .leftJoin('ml_blobs as b', 'b.sha256', 'v.sha256')
        .where('b.sha256', 'is', null)
        .select('v.sha256')
        .distinct()
        .execute();
      return rows.map((r) => r.sha256);
    },
  };
}

export type BlobRepository = ReturnType<typeof createBlobRepository>;
