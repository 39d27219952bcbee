import { lockInTransaction, newestPage } from '@opsmesh/shared';
import type { Kysely } from 'kysely';
import type { Silence } from '../services/alerting/silences.js';
import type { Matcher } from '../services/metrics/matchers.js';
import { fromJson, type MonitoringDB } from './db.js';

export interface SilenceRepository {
  /** Silences that have not ended before `since` (expired ones are kept for a while for the record). */
  list(since: number): Promise<Silence[]>;
  /**
   * One page of the silences that have not ended before `since`, newest first, optionally only
   * those in `state` at `now`, with how many match in all.
   */
  page(query: {
    since: number;
    now: number;
    state?: 'pending' | 'active' | 'expired' | undefined;
    limit: number;
    offset: number;
  }): Promise<{ items: Silence[]; total: number }>;
  get(id: string): Promise<Silence | undefined>;
  /**
   * Inserts the silence unless `max` silences have not ended at `now` (then false). Counted and
   * inserted under one lock, so creates at once on every replica stop at `max` together.
   */
  insertWithinLimit(silence: Silence, max: number, now: number): Promise<boolean>;
  /** Replaces a silence's matchers, span, comment and author if it has not ended by `at`; false if it had. */
  update(silence: Silence, at: number): Promise<boolean>;
  /** Ends a silence at `at` if it has not ended yet; returns the silence as it now is. */
  expire(id: string, at: number): Promise<Silence | undefined>;
}

type Row = {
  id: string;
  matchers: unknown;
  starts_at: Date;
  ends_at: Date;
  created_by: string;
  comment: string;
  created_at: Date;
};

const toSilence = (r: Row): Silence => ({
  id: r.id,
  matchers: fromJson<Matcher[]>(r.matchers),
  startsAt: r.starts_at.getTime(),
  endsAt: r.ends_at.getTime(),
  createdBy: r.created_by,
  comment: r.comment,
  createdAt: r.created_at.getTime(),
});

const insertRow = (s: Silence) => ({
  id: s.id,
  matchers: JSON.stringify(s.matchers),
  starts_at: new Date(s.startsAt).toISOString(),
  ends_at: new Date(s.endsAt).toISOString(),
  created_by: s.createdBy,
  comment: s.comment,
  created_at: new Date(s.createdAt).toISOString(),
});

export function createSilenceRepository(db: Kysely<MonitoringDB>): SilenceRepository {
  return {
    async list(since) {
      const rows = await db
        .selectFrom('monitoring_silences')
        .selectAll()
        .where('ends_at', '>', new Date(since))
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map(toSilence);
    },
    async page({ since, now, state, limit, offset }) {
      const at = new Date(now);
      let q = db.selectFrom('monitoring_silences').where('ends_at', '>', new Date(since));
      if (state === 'expired') q = q.where('ends_at', '<=', at);
      else if (state === 'pending') q = q.where('ends_at', '>', at).where('starts_at', '>', at);
      else if (state === 'active') q = q.where('ends_at', '>', at).where('starts_at', '<=', at);
      const found = await newestPage(q, { limit, offset });
      return { items: found.rows.map(toSilence), total: found.total };
    },
    async get(id) {
      const row = await db
        .selectFrom('monitoring_silences')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? toSilence(row) : undefined;
    },
    insertWithinLimit: (s, max, now) =>
      db.transaction().execute(async (trx) => {
        await lockInTransaction(trx, 'monitoring_silences', 'in force');
        const { n } = await trx
          .selectFrom('monitoring_silences')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('ends_at', '>', new Date(now))
          .executeTakeFirstOrThrow();
        if (Number(n) >= max) return false;
        await trx.insertInto('monitoring_silences').values(insertRow(s)).execute();
        return true;
      }),
    async update(s, at) {
      const res = await db
        .updateTable('monitoring_silences')
        .set({
          matchers: JSON.stringify(s.matchers),
          starts_at: new Date(s.startsAt).toISOString(),
          ends_at: new Date(s.endsAt).toISOString(),
          created_by: s.createdBy,
          comment: s.comment,
        })
        .where('id', '=', s.id)
        .where('ends_at', '>', new Date(at))
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
    async expire(id, at) {
      await db
        .updateTable('monitoring_silences')
        .set({ ends_at: new Date(at).toISOString() })
        .where('id', '=', id)
        .where('ends_at', '>', new Date(at))
        .execute();
      return this.get(id);
    },
  };
}
