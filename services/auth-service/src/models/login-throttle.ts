import { createHash } from 'node:crypto';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { ThrottlePolicy } from '../services/login-throttle.js';
import type { AuthDB } from './db.js';

/**
 * When an account with `failures` (an SQL expression, counted after this failure) consecutive
 * failures unlocks: the policy's doubling delay on the database's clock, so every replica agrees,
 * or `otherwise` while the failures are still free.
 */
export function lockedUntilSql(
  failures: RawBuilder<unknown>,
  policy: ThrottlePolicy,
  otherwise: RawBuilder<unknown>,
): RawBuilder<Date | null> {
  return sql<Date | null>`case when ${failures} >= ${policy.freeAttempts}::int
    then now() + least(${policy.maxDelaySec}::int,
      ${policy.baseDelaySec}::int * power(2, ${failures} - ${policy.freeAttempts}::int)) * interval '1 second'
    else ${otherwise} end`;
}

const key = (email: string) => createHash('sha256').update(email).digest('hex');

/**
 * Failed logins of emails that match no account, in the database every replica shares, so the
 * lockout answer for an unknown email is the same as for a known one wherever it lands. Rows are
 * keyed by the email's SHA-256 and dropped a day after their last failure.
 */
export function createLoginThrottleRepository(db: Kysely<AuthDB>, policy: ThrottlePolicy) {
  let failures = 0;
  return {
    /** Seconds until the email may try again; 0 when it may now. */
    async lockedFor(email: string): Promise<number> {
      const row = await db
        .selectFrom('login_throttle')
        .select(sql<number>`ceil(extract(epoch from locked_until - now()))`.as('wait'))
        .where('email_hash', '=', key(email))
        .where('locked_until', '>', sql<Date>`now()`)
        .executeTakeFirst();
      return Math.max(0, Number(row?.wait ?? 0));
    },
    /** Counts a failure, atomically however many replicas count at once. */
    async fail(email: string): Promise<void> {
      await db
        .insertInto('login_throttle')
        .values({
          email_hash: key(email),
          failures: 1,
          locked_until: lockedUntilSql(sql`1`, policy, sql`null`),
        })
        .onConflict((oc) =>
          oc.column('email_hash').doUpdateSet({
            failures: sql`login_throttle.failures + 1`,
            locked_until: lockedUntilSql(sql`login_throttle.failures + 1`, policy, sql`null`),
            updated_at: sql`now()`,
          }),
        )
        .execute();
      if (++failures % 100 === 0) {
        await db
          .deleteFrom('login_throttle')
          .where('updated_at', '<', sql<Date>`now() - interval '1 day'`)
          .execute();
      }
    },
  };
}
