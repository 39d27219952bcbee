import { type QueryExecutorProvider, sql } from 'kysely';

/**
 * Inside a transaction: waits for, then holds until commit or rollback, a lock on `key` within
 * `scope` (a PostgreSQL transaction advisory lock). Read-then-write work such as "count an owner's
 * rows, insert when under the cap" run under the same scope and key happens one at a time, across
 * every replica on the database; each statement after the lock sees what the one before committed.
 * On the embedded engine transactions already run one at a time and the lock is granted at once.
 *
 * @example
 * await db.transaction().execute(async (trx) => {
 *   await lockInTransaction(trx, 'api_keys', ownerId);
 *   if ((await countLive(trx, ownerId)) < max) await insert(trx, row);
 * });
 */
export async function lockInTransaction(
  trx: QueryExecutorProvider,
  scope: string,
  key: string,
): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${scope}), hashtext(${key}))`.execute(trx);
}
