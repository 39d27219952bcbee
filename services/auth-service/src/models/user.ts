import { type Kysely, type Selectable, sql } from 'kysely';
import type { ThrottlePolicy } from '../services/login-throttle.js';
import type { AuthDB, UsersTable } from './db.js';
import { lockedUntilSql } from './login-throttle.js';

export type UserRow = Selectable<UsersTable>;

/** The API shape of a user; column names and secrets never leave the service. */
export function toUser(row: UserRow) {
  return {
    id: row.id,
    email: row.email,
    display_name: row.display_name,
    roles: row.roles as ('admin' | 'operator' | 'viewer')[],
    status: row.status,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    last_login_at: row.last_login_at ? row.last_login_at.toISOString() : null,
  };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** One small method per query over `users`. */
export function createUserRepository(db: Kysely<AuthDB>) {
  return {
    findById: (id: string) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst(),

    /** Id, email and display name of the users among `ids`. */
    findNames: (ids: readonly string[]) =>
      db.selectFrom('users').select(['id', 'email', 'display_name']).where('id', 'in', ids).execute(),

    findByEmail: (email: string) =>
      db
        .selectFrom('users')
        .selectAll()
        .where('email_normalized', '=', normalizeEmail(email))
        .executeTakeFirst(),

    /** The columns a login reads, and no more: every column fetched is parsed on the event loop. */
    findForLogin: (email: string) =>
      db
        .selectFrom('users')
        .select(['id', 'password_hash', 'roles', 'status', 'failed_logins', 'locked_until'])
        .where('email_normalized', '=', normalizeEmail(email))
        .executeTakeFirst(),

    /** The earliest-created user holding the admin role, whatever its status. */
    findFirstAdmin: () =>
      db
        .selectFrom('users')
        .selectAll()
        .where((eb) => eb(eb.val('admin'), '=', eb.fn.any('roles')))
        .orderBy('created_at')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst(),

    count: async () => {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    countActiveAdmins: async (exceptId?: string) => {
      let q = db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'active')
        .where((eb) => eb(eb.val('admin'), '=', eb.fn.any('roles')));
      if (exceptId) q = q.where('id', '!=', exceptId);
      return Number((await q.executeTakeFirstOrThrow()).n);
    },

    /** Inserts; resolves to undefined when the email is taken (unique violation swallowed by design). */
    insert: (user: {
      id: string;
      email: string;
      display_name: string;
      password_hash: string;
      roles: string[];
    }) =>
      db
        .insertInto('users')
        .values({ ...user, email_normalized: normalizeEmail(user.email) })
        .onConflict((oc) => oc.column('email_normalized').doNothing())
        .returningAll()
        .executeTakeFirst(),

    list: async (q: {
      limit: number;
      offset: number;
      search?: string | undefined;
      status?: string | undefined;
    }) => {
      let base = db.selectFrom('users');
      if (q.search) {
        const like = `%${q.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        base = base.where((eb) =>
          eb.or([eb('email_normalized', 'like', like), eb(eb.fn('lower', ['display_name']), 'like', like)]),
        );
      }
      if (q.status) base = base.where('status', '=', q.status as UserRow['status']);
      const [items, total] = await Promise.all([
        base.selectAll().orderBy('created_at').orderBy('id').limit(q.limit).offset(q.offset).execute(),
        base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items, total: Number(total.n) };
    },

    update: (id: string, changes: Partial<Pick<UserRow, 'display_name' | 'roles' | 'status'>>) =>
      db
        .updateTable('users')
        .set({ ...changes, updated_at: new Date() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst(),

    setPassword: (id: string, passwordHash: string) =>
      db
        .updateTable('users')
        .set({ password_hash: passwordHash, password_changed_at: new Date(), updated_at: new Date() })
        .where('id', '=', id)
        .executeTakeFirst(),

    /**
     * Counts a failed login and locks the account per `policy`, in one statement computed from
     * the stored count: concurrent failures on any replica each count, and the lock follows.
     */
    recordFailedLogin: (id: string, policy: ThrottlePolicy) =>
      db
        .updateTable('users')
        .set({
          failed_logins: sql`failed_logins + 1`,
          locked_until: lockedUntilSql(sql`failed_logins + 1`, policy, sql`locked_until`),
        })
        .where('id', '=', id)
        .returning(['failed_logins', 'locked_until'])
        .executeTakeFirst(),

    recordSuccessfulLogin: (id: string) =>
      db
        .updateTable('users')
        .set({ failed_logins: 0, locked_until: null, last_login_at: new Date() })
        .where('id', '=', id)
        .executeTakeFirst(),

    unlock: (id: string) =>
      db
        .updateTable('users')
        .set({ failed_logins: 0, locked_until: null })
        .where('id', '=', id)
        .executeTakeFirst(),

    delete: (id: string) => db.deleteFrom('users').where('id', '=', id).executeTakeFirst(),
  };
}
export type UserRepository = ReturnType<typeof createUserRepository>;
