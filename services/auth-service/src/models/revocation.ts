import type { Kysely } from 'kysely';
import type { AuthDB } from './db.js';

/** The revocation events the database's triggers record (migrations/002): read and pruned here. */

export interface RevocationRow {
  seq: number;
  kind: 'subject' | 'session' | 'api-key' | 'keys';
  id: string;
  at: Date;
}

export function createRevocationRepository(db: Kysely<AuthDB>) {
  return {
    /** Events after `seq`, oldest first. */
    after: async (seq: number, limit: number): Promise<RevocationRow[]> =>
      (
        await db
          .selectFrom('revocation_events')
          .select(['seq', 'kind', 'id', 'at'])
          .where('seq', '>', seq)
          .orderBy('seq')
          .limit(limit)
          .execute()
      ).map((r) => ({ ...r, seq: Number(r.seq), at: new Date(r.at) })),

    /** Events at or after `since`, oldest first: what a verifier starting afresh must know. */
    since: async (since: Date, limit: number): Promise<RevocationRow[]> =>
      (
        await db
          .selectFrom('revocation_events')
          .select(['seq', 'kind', 'id', 'at'])
          .where('at', '>=', since)
          .orderBy('seq')
          .limit(limit)
          .execute()
      ).map((r) => ({ ...r, seq: Number(r.seq), at: new Date(r.at) })),

    /** The newest sequence number and the oldest still kept (0 when there are none). */
    bounds: async (): Promise<{ newest: number; oldest: number }> => {
      const row = await db
        .selectFrom('revocation_events')
        .select((eb) => [eb.fn.max('seq').as('newest'), eb.fn.min('seq').as('oldest')])
        .executeTakeFirst();
      return { newest: Number(row?.newest ?? 0), oldest: Number(row?.oldest ?? 0) };
    },

    /** Forgets events older than `before`, keeping the newest so the sequence stays known. */
    prune: async (before: Date): Promise<void> => {
      await db
        .deleteFrom('revocation_events')
        .where('at', '<', before)
        .where('seq', '<', (eb) => eb.selectFrom('revocation_events').select(eb.fn.max('seq').as('m')))
        .execute();
    },
  };
}
export type RevocationRepository = ReturnType<typeof createRevocationRepository>;
