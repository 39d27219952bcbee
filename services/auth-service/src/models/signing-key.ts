import type { Kysely } from 'kysely';
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

    insert: (key: { kid: string; private_key: string; public_jwk: Record<string, string> }) =>
      db
        .insertInto('signing_keys')
        .values({ ...key, public_jwk: JSON.stringify(key.public_jwk) })
        .execute(),

    /** Retires every active key but `keepKid`, in the same transaction as the new key's insert. */
    rotate: (key: { kid: string; private_key: string; public_jwk: Record<string, string> }) =>
      db.transaction().execute(async (trx) => {
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
