import { type Kysely, sql } from 'kysely';
import type { AuthDB } from './db.js';

export function createSigningKeyRepository(db: Kysely<AuthDB>) {
  return {
    /** Keys still published: the active one and those retired less than `keepSeconds` ago. */
    listPublished: (keepSeconds: number) =>
      db
        .selectFrom('signing_keys')
        .selectAll()
        .where((eb) =>
          eb.or([
            eb('retired_at', 'is', null),
            eb('retired_at', '>', new Date(Date.now() - keepSeconds * 1000)),
          ]),
        )
        .orderBy('created_at', 'desc')
        .execute(),

    /**
     * Adds `key` as the active key unless one is active already (another replica starting at the
     * same moment made it): the index on active keys turns the second insert into nothing.
     * Returns whether this key was added.
     */
    insertFirst: async (key: { kid: string; private_key: string; public_jwk: Record<string, string> }) => {
      const added = await db
        .insertInto('signing_keys')
        .values({ ...key, public_jwk: JSON.stringify(key.public_jwk) })
        .onConflict((oc) => oc.doNothing())
        .returning('kid')
        .executeTakeFirst();
      return added !== undefined;
    },

    /** Retires every active key, in the same transaction as the new key's insert. */
    rotate: (key: { kid: string; private_key: string; public_jwk: Record<string, string> }) =>
      db.transaction().execute(async (trx) => {
        // Rotations take turns: a second one running alongside would not see the first's new key
        // to retire it, and its insert would meet the one-active-key index. This mode conflicts
        // with itself and with inserts, not with the reads that sign and verify.
        await sql`lock table signing_keys in share row exclusive mode`.execute(trx);
        const retired = await trx
          .updateTable('signing_keys')
          .set({ retired_at: new Date() })
          .where('retired_at', 'is', null)
          .returning('kid')
          .execute();
        await trx
          .insertInto('signing_keys')
          .values({ ...key, public_jwk: JSON.stringify(key.public_jwk) })
          .execute();
        return retired.map((r) => r.kid);
      }),
  };
}
export type SigningKeyRepository = ReturnType<typeof createSigningKeyRepository>;
