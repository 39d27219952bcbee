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
  const columns = () => db.selectFrom('revocation_events').select(['seq', 'kind', 'id', 'at']);
  const page = async (
    where: (q: ReturnType<typeof columns>) => ReturnType<typeof columns>,
    limit: number,
  ): Promise<RevocationRow[]> =>
    (await where(columns()).orderBy('seq').limit(limit).execute()).map((r) => ({
      ...r,
      seq: Number(r.seq),
      at: new Date(r.at),
    }));
  return {
    /** Events after `seq`, oldest first. */
    after: (seq: number, limit: number) => page((q) => q.where('seq', '>', seq), limit),

    /** Events at or after `since`, oldest first: what a verifier starting afresh must know. */
    since: (since: Date, limit: number) => page((q) => q.where('at', '>=', since), limit),

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
