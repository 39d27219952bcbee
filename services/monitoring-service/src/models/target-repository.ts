import { type Kysely, sql } from 'kysely';
import type { MonitoringDB } from './db.js';

/** A scrape target as every replica sees it: when the current watch first saw it, when it was last up. */
export interface TargetRecord {
  url: string;
  service: string;
  /** host:port, the `instance` label of its series. */
  instance: string;
  firstSeenAt: number;
  /** The last successful scrape, by any replica; null before the first. */
  readyAt: number | null;
}

export interface WatchState {
  /** When the current watch began: the start of the first replica of the running fleet. */
  startedAt: number;
  targets: TargetRecord[];
}

export interface TargetRepository {
  /**
   * Registers this replica. When no other replica has scraped within `staleMs` (a start of the
   * whole fleet, or of the only replica), a new watch begins at `now`: targets count as first seen
   * now and readiness seen before counts for nothing. Returns when the current watch began.
   */
  join(instance: string, now: number, staleMs: number): Promise<{ startedAt: number; fresh: boolean }>;
  /** Takes this replica out of the running fleet (on a clean stop). */
  leave(instance: string): Promise<void>;
  /** One scrape cycle's results: this replica's heartbeat and each target's last success. */
  record(
    instance: string,
    now: number,
    targets: ReadonlyArray<{ url: string; service: string; instance: string; up: boolean }>,
  ): Promise<void>;
  watch(): Promise<WatchState | null>;
}

const WATCH_KEY = 'watch_started_at';

export function createTargetRepository(db: Kysely<MonitoringDB>): TargetRepository {
  return {
    async join(instance, now, staleMs) {
      const at = new Date(now).toISOString();
      return db.transaction().execute(async (trx) => {
        // Two replicas starting together take turns: the second sees the first and joins its watch.
        await sql`select pg_advisory_xact_lock(${0x6f70_7377})`.execute(trx);
        await trx
          .deleteFrom('monitoring_replicas')
          .where((eb) => eb.or([eb('instance', '=', instance), eb('seen_at', '<', new Date(now - staleMs))]))
          .execute();
        const others = await trx.selectFrom('monitoring_replicas').select('instance').limit(1).execute();
        const current = await trx
          .selectFrom('monitoring_meta')
          .select('value')
          .where('key', '=', WATCH_KEY)
          .executeTakeFirst();
        const fresh = others.length === 0 || !current;
        if (fresh) {
          await trx
            .insertInto('monitoring_meta')
            .values({ key: WATCH_KEY, value: at })
            .onConflict((oc) => oc.column('key').doUpdateSet({ value: at }))
            .execute();
          await trx.updateTable('monitoring_targets').set({ first_seen_at: at }).execute();
        }
        await trx
          .insertInto('monitoring_replicas')
          .values({ instance, started_at: at, seen_at: at })
          .execute();
        return { startedAt: fresh ? now : Date.parse(current!.value), fresh };
      });
    },
    async leave(instance) {
      await db.deleteFrom('monitoring_replicas').where('instance', '=', instance).execute();
    },
    async record(instance, now, targets) {
      const at = new Date(now).toISOString();
      await db
        .insertInto('monitoring_replicas')
        .values({ instance, started_at: at, seen_at: at })
        .onConflict((oc) => oc.column('instance').doUpdateSet({ seen_at: at }))
        .execute();
      if (targets.length === 0) return;
      // Rows in one order on every replica: each replica lists targets in the order it first saw
      // them, and two upserts taking the same rows' locks in different orders deadlock.
      const ordered = [...targets].sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
      await db
        .insertInto('monitoring_targets')
        .values(
          ordered.map((t) => ({
            url: t.url,
            service: t.service,
            instance: t.instance,
            first_seen_at: at,
            ready_at: t.up ? at : null,
          })),
        )
        .onConflict((oc) =>
          oc.column('url').doUpdateSet({
            service: (eb) => eb.ref('excluded.service'),
            instance: (eb) => eb.ref('excluded.instance'),
            ready_at: sql`coalesce(excluded.ready_at, monitoring_targets.ready_at)`,
          }),
        )
        .execute();
    },
    async watch() {
      const started = await db
        .selectFrom('monitoring_meta')
        .select('value')
        .where('key', '=', WATCH_KEY)
        .executeTakeFirst();
      if (!started) return null;
      const rows = await db.selectFrom('monitoring_targets').selectAll().execute();
      return {
        startedAt: Date.parse(started.value),
        targets: rows.map((r) => ({
          url: r.url,
          service: r.service,
          instance: r.instance,
          firstSeenAt: r.first_seen_at.getTime(),
          readyAt: r.ready_at ? r.ready_at.getTime() : null,
        })),
      };
    },
  };
}
