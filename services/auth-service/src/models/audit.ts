import type { Kysely, Selectable } from 'kysely';
import type { AuditEventsTable, AuthDB } from './db.js';

export type AuditRow = Selectable<AuditEventsTable>;

export interface AuditEntry {
  action: string;
  outcome: 'success' | 'failure';
  actor?: string | null | undefined;
  target?: string | null | undefined;
  ip?: string | null | undefined;
  detail?: Record<string, unknown>;
}

export function toAuditEvent(row: AuditRow) {
  return {
    id: Number(row.id),
    at: row.at.toISOString(),
    action: row.action,
    outcome: row.outcome,
    actor: row.actor,
    target: row.target,
    ip: row.ip,
    detail: row.detail ?? {},
  };
}

export function createAuditRepository(db: Kysely<AuthDB>) {
  return {
    record: (e: AuditEntry) =>
      db
        .insertInto('audit_events')
        .values({
          action: e.action,
          outcome: e.outcome,
          actor: e.actor ?? null,
          target: e.target ?? null,
          ip: e.ip ?? null,
          detail: JSON.stringify(e.detail ?? {}),
        })
        .execute(),
    /** One page of the trail, newest first, and how many events match the filters in all. */
    list: async (q: {
      limit: number;
      offset: number;
      action?: string | undefined;
      actor?: string | undefined;
      target?: string | undefined;
    }) => {
      let query = db.selectFrom('audit_events');
      if (q.action) query = query.where('action', '=', q.action);
      if (q.actor) query = query.where('actor', '=', q.actor);
      if (q.target) query = query.where('target', '=', q.target);
      const [rows, counted] = await Promise.all([
        query.selectAll().orderBy('id', 'desc').limit(q.limit).offset(q.offset).execute(),
        query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(counted.n) };
    },
  };
}
export type AuditRepository = ReturnType<typeof createAuditRepository>;
