import type { PageRequest } from '@opsmesh/shared/http/paging';
import type { Kysely, Selectable } from 'kysely';
import type { AuthDB, ServiceAccountsTable } from './db.js';

export type ServiceAccountRow = Selectable<ServiceAccountsTable>;

export function toServiceAccount(row: ServiceAccountRow) {
  return {
    id: row.id,
    name: row.name,
    client_id: row.client_id,
    permissions: row.permissions,
    created_at: row.created_at.toISOString(),
    disabled_at: row.disabled_at ? row.disabled_at.toISOString() : null,
  };
}

export function createServiceAccountRepository(db: Kysely<AuthDB>) {
  return {
    insert: (row: Omit<ServiceAccountRow, 'created_at' | 'disabled_at'>) =>
      db
        .insertInto('service_accounts')
        .values(row)
        // No conflict target: two replicas creating the same account at start-up collide on the
        // name or on the client id, whichever unique index the second insert reaches first.
        .onConflict((oc) => oc.doNothing())
        .returningAll()
        .executeTakeFirst(),
    findByClientId: (clientId: string) =>
      db.selectFrom('service_accounts').selectAll().where('client_id', '=', clientId).executeTakeFirst(),
    findById: (id: string) =>
      db.selectFrom('service_accounts').selectAll().where('id', '=', id).executeTakeFirst(),
    findByName: (name: string) =>
      db.selectFrom('service_accounts').selectAll().where('name', '=', name).executeTakeFirst(),
    /** One page of the accounts, oldest first, and how many there are. */
    list: async (page: PageRequest) => {
      const [rows, counted] = await Promise.all([
        db
          .selectFrom('service_accounts')
          .selectAll()
          .orderBy('created_at')
          .orderBy('id')
          .limit(page.limit)
          .offset(page.offset)
          .execute(),
        db
          .selectFrom('service_accounts')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(counted.n) };
    },
    updateSecret: (id: string, secretHash: string) =>
      db.updateTable('service_accounts').set({ secret_hash: secretHash }).where('id', '=', id).execute(),
    disable: (id: string) =>
      db
        .updateTable('service_accounts')
        .set({ disabled_at: new Date() })
        .where('id', '=', id)
        .where('disabled_at', 'is', null)
        .executeTakeFirst(),
  };
}
export type ServiceAccountRepository = ReturnType<typeof createServiceAccountRepository>;
