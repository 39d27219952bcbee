import { newestPage } from '@opsmesh/shared/db/newest-page';
import { lockInTransaction } from '@opsmesh/shared/db/xact-lock';
import type { PageRequest } from '@opsmesh/shared/http/paging';
import type { Kysely, Selectable } from 'kysely';
import type { ApiKeysTable, AuthDB } from './db.js';

export type ApiKeyRow = Selectable<ApiKeysTable>;

export function toApiKey(row: ApiKeyRow) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    owner_id: row.owner_id,
    permissions: row.permissions,
    created_at: row.created_at.toISOString(),
    expires_at: row.expires_at.toISOString(),
    revoked_at: row.revoked_at ? row.revoked_at.toISOString() : null,
    last_used_at: row.last_used_at ? row.last_used_at.toISOString() : null,
  };
}

type NewApiKey = Omit<ApiKeyRow, 'created_at' | 'revoked_at' | 'last_used_at'>;

/** Keys of one owner that still work: neither revoked nor expired. */
const countLive = async (db: Kysely<AuthDB>, ownerId: string) =>
  Number(
    (
      await db
        .selectFrom('api_keys')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('owner_id', '=', ownerId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', new Date())
        .executeTakeFirstOrThrow()
    ).n,
  );

export function createApiKeyRepository(db: Kysely<AuthDB>) {
  return {
    /**
     * Inserts the key unless its owner already holds `max` live ones (then undefined). The count
     * and the insert run under a per-owner lock, so concurrent creates, on any replica, never
     * take an owner past `max`.
     */
    insertWithinLimit: (row: NewApiKey, max: number) =>
      db.transaction().execute(async (trx) => {
        await lockInTransaction(trx, 'api_keys', row.owner_id);
        if ((await countLive(trx, row.owner_id)) >= max) return undefined;
        return trx.insertInto('api_keys').values(row).returningAll().executeTakeFirstOrThrow();
      }),
    findByHash: (hash: string) =>
      db.selectFrom('api_keys').selectAll().where('key_hash', '=', hash).executeTakeFirst(),
    findById: (id: string) => db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst(),
    /** One page of an owner's keys (revoked and expired ones included), newest first, and how many. */
    listForOwner: (ownerId: string, page: PageRequest) => {
      const q = db.selectFrom('api_keys').where('owner_id', '=', ownerId);
      return newestPage(q, page);
    },
    revoke: (id: string) =>
      db
        .updateTable('api_keys')
        .set({ revoked_at: new Date() })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst(),
    revokeAllForOwner: (ownerId: string) =>
      db
        .updateTable('api_keys')
        .set({ revoked_at: new Date() })
        .where('owner_id', '=', ownerId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst(),
    /** Deletes keys revoked or expired before `before`; how many. */
    purgeEnded: async (before: Date) =>
      Number(
        (
          await db
            .deleteFrom('api_keys')
            .where((eb) => eb.or([eb('revoked_at', '<', before), eb('expires_at', '<', before)]))
            .executeTakeFirst()
        ).numDeletedRows,
      ),
    touch: (id: string) =>
      db.updateTable('api_keys').set({ last_used_at: new Date() }).where('id', '=', id).execute(),
  };
}
export type ApiKeyRepository = ReturnType<typeof createApiKeyRepository>;
