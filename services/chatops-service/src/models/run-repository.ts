import type { Kysely, Selectable } from 'kysely';
import type { ChatopsDatabase, RunsTable } from './db.js';

export interface RunRecord {
  id: string;
  actor: string;
  chatUser: string | null;
  source: 'api' | 'slack';
  channel: string | null;
  text: string;
  intent: string;
  parameters: Record<string, unknown>;
  outcome: string;
  reply: string;
  durationMs: number;
  createdAt: Date;
}

function toRecord(row: Selectable<RunsTable>): RunRecord {
  return {
    id: row.id,
    actor: row.actor,
    chatUser: row.chat_user,
    source: row.source,
    channel: row.channel,
    text: row.text,
    intent: row.intent,
    parameters: typeof row.parameters === 'string' ? JSON.parse(row.parameters) : row.parameters,
    outcome: row.outcome,
    reply: row.reply,
    durationMs: row.duration_ms,
    createdAt: new Date(row.created_at),
  };
}

/** The record of command runs; `history` reads it. */
export function createRunRepository(db: Kysely<ChatopsDatabase>) {
  return {
    async insert(run: RunRecord): Promise<void> {
      await db
        .insertInto('chatops_runs')
        .values({
          id: run.id,
          actor: run.actor,
          chat_user: run.chatUser,
          source: run.source,
          channel: run.channel,
          text: run.text,
          intent: run.intent,
          parameters: JSON.stringify(run.parameters),
          outcome: run.outcome,
          reply: run.reply,
          duration_ms: run.durationMs,
          created_at: run.createdAt,
        })
        .execute();
    },

    /** One page of the runs, newest first, `actor`'s only when given, and how many match. */
    async page(filter: {
      actor?: string | undefined;
      limit: number;
      offset: number;
    }): Promise<{ items: RunRecord[]; total: number }> {
      let q = db.selectFrom('chatops_runs');
      if (filter.actor !== undefined) q = q.where('actor', '=', filter.actor);
      const [rows, counted] = await Promise.all([
        q
          .selectAll()
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(filter.limit)
          .offset(filter.offset)
          .execute(),
        q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toRecord), total: Number(counted.n) };
    },

    /** Newest first; `actor` narrows to one user's runs, `since` to a recent window. */
    async list(filter: {
      actor?: string | undefined;
      since?: Date | undefined;
      limit: number;
    }): Promise<RunRecord[]> {
      let q = db.selectFrom('chatops_runs').selectAll();
      if (filter.actor !== undefined) q = q.where('actor', '=', filter.actor);
      if (filter.since !== undefined) q = q.where('created_at', '>=', filter.since);
      const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
      return rows.map(toRecord);
    },
  };
}
export type RunRepository = ReturnType<typeof createRunRepository>;
