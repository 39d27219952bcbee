import { newestPage } from '@opsmesh/shared/db/newest-page';
import type { PageRequest } from '@opsmesh/shared/http/paging';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { AuthDB, SessionsTable } from './db.js';

export type SessionRow = Selectable<SessionsTable>;

export function toSession(row: SessionRow, currentId: string | undefined) {
  return {
    id: row.id,
    user_id: row.user_id,
    created_at: row.created_at.toISOString(),
    last_used_at: row.last_used_at.toISOString(),
    expires_at: row.expires_at.toISOString(),
    revoked_at: row.revoked_at ? row.revoked_at.toISOString() : null,
    revoked_reason: row.revoked_reason,
    ip: row.ip,
    user_agent: row.user_agent,
    current: row.id === currentId,
  };
}

/** Sessions and their refresh-token family. */
export function createSessionRepository(db: Kysely<AuthDB>) {
  return {
    /** Opens a session with its first refresh token, atomically. */
    create: (
      session: {
        id: string;
        user_id: string;
        expires_at: Date;
        ip: string | null;
        user_agent: string | null;
      },
      tokenHash: string,
    ) =>
      db.transaction().execute(async (trx) => {
        await trx.insertInto('sessions').values(session).execute();
        await trx
          .insertInto('refresh_tokens')
          .values({ token_hash: tokenHash, session_id: session.id })
          .execute();
      }),

    /**
     * A successful login in one round trip (the open_login_session function, migration 005):
     * clears the failure count, opens the session with its first refresh token and writes the
     * audit row in one statement, which keeps the login cost close to the password hash's. At
     * most `keep` sessions stay live: the user's oldest live ones past `keep - 1` are revoked in
     * the same statement (their revocation reaches every replica through the sessions trigger).
     * The statement runs after a per-user lock: without it two logins at once each counted the
     * live sessions before the other's insert and both kept theirs, one past `keep` per
     * concurrent login.
     */
    openForLogin: async (
      session: {
        id: string;
        user_id: string;
        expires_at: Date;
        ip: string | null;
        user_agent: string | null;
      },
      tokenHash: string,
      keep: number,
    ) => {
      await sql`select open_login_session(${session.id}, ${session.user_id}, ${session.expires_at}, ${session.ip},
        ${session.user_agent}, ${tokenHash}, ${keep}, ${JSON.stringify({ session: session.id })}::jsonb)`.execute(
        db,
      );
    },

    findById: (id: string) => db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst(),

    /** One page of a user's sessions, newest first, and how many there are. */
    listForUser: (userId: string, includeRevoked: boolean, page: PageRequest) => {
      let q = db.selectFrom('sessions').where('user_id', '=', userId);
      if (!includeRevoked) q = q.where('revoked_at', 'is', null).where('expires_at', '>', new Date());
      return newestPage(q, page);
    },

    findRefreshToken: (tokenHash: string) =>
      db
        .selectFrom('refresh_tokens')
        .innerJoin('sessions', 'sessions.id', 'refresh_tokens.session_id')
        .select([
          'refresh_tokens.token_hash',
          'refresh_tokens.used_at',
          'sessions.id as session_id',
          'sessions.user_id',
          'sessions.revoked_at',
          'sessions.expires_at',
        ])
        .where('refresh_tokens.token_hash', '=', tokenHash)
        .executeTakeFirst(),

    /**
     * Marks `oldHash` used and stores its successor, in one transaction. Resolves false when the old
     * token was already used: a concurrent or replayed rotation, which the caller treats as reuse.
     */
    rotate: (sessionId: string, oldHash: string, newHash: string) =>
      db.transaction().execute(async (trx) => {
        const used = await trx
          .updateTable('refresh_tokens')
          .set({ used_at: new Date() })
          .where('token_hash', '=', oldHash)
          .where('used_at', 'is', null)
          .returning('token_hash')
          .executeTakeFirst();
        if (!used) return false;
        await trx
          .insertInto('refresh_tokens')
          .values({ token_hash: newHash, session_id: sessionId })
          .execute();
        await trx
          .updateTable('sessions')
          .set({ last_used_at: new Date() })
          .where('id', '=', sessionId)
          .execute();
        return true;
      }),

    revoke: (id: string, reason: string) =>
      db
        .updateTable('sessions')
        .set({ revoked_at: new Date(), revoked_reason: reason })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst(),

    /** Deletes sessions revoked or expired before `before` (their refresh tokens go with them); how many. */
    purgeEnded: async (before: Date) =>
      Number(
        (
          await db
            .deleteFrom('sessions')
            .where((eb) => eb.or([eb('revoked_at', '<', before), eb('expires_at', '<', before)]))
            .executeTakeFirst()
        ).numDeletedRows,
      ),

    revokeAllForUser: (userId: string, reason: string, exceptId?: string) => {
      let q = db
        .updateTable('sessions')
        .set({ revoked_at: new Date(), revoked_reason: reason })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null);
      if (exceptId) q = q.where('id', '!=', exceptId);
      return q.executeTakeFirst();
    },
  };
}
export type SessionRepository = ReturnType<typeof createSessionRepository>;
