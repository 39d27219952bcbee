import { type Kysely, type Selectable, sql } from 'kysely';
import type { Labels } from '../services/metrics/labels.js';
import { fromJson, type MonitoringDB } from './db.js';
import { newId } from './ids.js';

/** An alert as stored: from the rules evaluated here, or received from Alertmanager. */
export interface StoredAlert {
  fingerprint: string;
  ruleId: string | null;
  source: 'rules' | 'alertmanager';
  state: 'pending' | 'firing' | 'resolved';
  labels: Labels;
  annotations: Record<string, string>;
  value: number | null;
  activeAt: number;
  firedAt: number | null;
  resolvedAt: number | null;
  lastEvalAt: number;
  acknowledgedBy: string | null;
  acknowledgedAt: number | null;
  /** A firing alert held by its rule's `keep_firing_for` since then (rules only). */
  keepFiringSince?: number | null;
}

export type HistoryEvent = 'pending' | 'firing' | 'resolved' | 'inactive' | 'acknowledged' | 'notified';

export interface HistoryEntry {
  id: string;
  fingerprint: string;
  alertname: string;
  event: HistoryEvent;
  at: number;
  value: number | null;
  actor: string | null;
  labels: Labels;
}

export interface AlertRepository {
  listCurrent(): Promise<StoredAlert[]>;
  find(fingerprints: readonly string[]): Promise<StoredAlert[]>;
  /** Records an acknowledgement; false when no such alert is stored. */
  acknowledge(fingerprint: string, actor: string, at: number): Promise<boolean>;
  /** Forgets alerts received from Alertmanager that resolved before `before`. */
  removeResolvedExternal(before: number): Promise<void>;
  upsert(alerts: readonly StoredAlert[]): Promise<void>;
  remove(fingerprints: readonly string[]): Promise<void>;
  addHistory(entries: ReadonlyArray<Omit<HistoryEntry, 'id'>>): Promise<void>;
  /** One page of the history, newest first, and how many entries match in all. */
  history(filter: {
    fingerprint?: string;
    before?: number;
    limit: number;
    offset: number;
  }): Promise<{ items: HistoryEntry[]; total: number }>;
}

const date = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const ms = (d: Date | null) => (d === null ? null : d.getTime());

type AlertRow = Selectable<MonitoringDB['monitoring_alerts']>;

function toStored(r: AlertRow): StoredAlert {
  return {
    fingerprint: r.fingerprint,
    ruleId: r.rule_id,
    source: r.source,
    state: r.state,
    labels: fromJson<Labels>(r.labels),
    annotations: fromJson<Record<string, string>>(r.annotations),
    value: r.value,
    activeAt: r.active_at.getTime(),
    firedAt: ms(r.fired_at),
    resolvedAt: ms(r.resolved_at),
    lastEvalAt: r.last_eval_at.getTime(),
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: ms(r.acknowledged_at),
    keepFiringSince: ms(r.keep_firing_since),
  };
}

export function createAlertRepository(db: Kysely<MonitoringDB>): AlertRepository {
  return {
    async listCurrent() {
      const rows = await db.selectFrom('monitoring_alerts').selectAll().execute();
      return rows.map(toStored);
    },
    async find(fingerprints) {
      if (fingerprints.length === 0) return [];
      const rows = await db
        .selectFrom('monitoring_alerts')
        .selectAll()
        .where('fingerprint', 'in', [...fingerprints])
        .execute();
      return rows.map(toStored);
    },
    async acknowledge(fingerprint, actor, at) {
      const res = await db
        .updateTable('monitoring_alerts')
        .set({ acknowledged_by: actor, acknowledged_at: date(at) })
        .where('fingerprint', '=', fingerprint)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
    async removeResolvedExternal(before) {
      await db
        .deleteFrom('monitoring_alerts')
        .where('source', '=', 'alertmanager')
        .where('state', '=', 'resolved')
        .where('resolved_at', '<', new Date(before))
        .execute();
    },
    async upsert(alerts) {
      if (alerts.length === 0) return;
      const rows = alerts.map((a) => ({
        fingerprint: a.fingerprint,
        rule_id: a.ruleId,
        source: a.source,
        state: a.state,
        labels: JSON.stringify(a.labels),
        annotations: JSON.stringify(a.annotations),
        value: a.value === null || Number.isFinite(a.value) ? a.value : null,
        active_at: date(a.activeAt)!,
        fired_at: date(a.firedAt),
        resolved_at: date(a.resolvedAt),
        last_eval_at: date(a.lastEvalAt)!,
        acknowledged_by: a.acknowledgedBy,
        acknowledged_at: date(a.acknowledgedAt),
        keep_firing_since: date(a.keepFiringSince ?? null),
      }));
      await db
        .insertInto('monitoring_alerts')
        .values(rows)
        .onConflict((oc) =>
          oc.column('fingerprint').doUpdateSet((eb) => ({
            rule_id: eb.ref('excluded.rule_id'),
            source: eb.ref('excluded.source'),
            state: eb.ref('excluded.state'),
            labels: eb.ref('excluded.labels'),
            annotations: eb.ref('excluded.annotations'),
            value: eb.ref('excluded.value'),
            active_at: eb.ref('excluded.active_at'),
            fired_at: eb.ref('excluded.fired_at'),
            resolved_at: eb.ref('excluded.resolved_at'),
            last_eval_at: eb.ref('excluded.last_eval_at'),
            keep_firing_since: eb.ref('excluded.keep_firing_since'),
            // An acknowledgement made on any replica stays until the alert starts anew.
            acknowledged_by: sql<string | null>`case when monitoring_alerts.active_at = excluded.active_at
              then coalesce(monitoring_alerts.acknowledged_by, excluded.acknowledged_by)
              else excluded.acknowledged_by end`,
            acknowledged_at: sql<Date | null>`case when monitoring_alerts.active_at = excluded.active_at
              then coalesce(monitoring_alerts.acknowledged_at, excluded.acknowledged_at)
              else excluded.acknowledged_at end`,
          })),
        )
        .execute();
    },
    async remove(fingerprints) {
      if (fingerprints.length === 0) return;
      await db
        .deleteFrom('monitoring_alerts')
        .where('fingerprint', 'in', [...fingerprints])
        .execute();
    },
    async addHistory(entries) {
      if (entries.length === 0) return;
      await db
        .insertInto('monitoring_alert_history')
        .values(
          entries.map((e) => ({
            id: newId('alh'),
            fingerprint: e.fingerprint,
            alertname: e.alertname,
            event: e.event,
            at: date(e.at)!,
            value: e.value === null || Number.isFinite(e.value) ? e.value : null,
            actor: e.actor,
            labels: JSON.stringify(e.labels),
          })),
        )
        .execute();
    },
    async history(filter) {
      let q = db.selectFrom('monitoring_alert_history');
      if (filter.fingerprint) q = q.where('fingerprint', '=', filter.fingerprint);
      if (filter.before !== undefined) q = q.where('at', '<', new Date(filter.before));
      const [rows, counted] = await Promise.all([
        q
          .selectAll()
          .orderBy('at', 'desc')
          .orderBy('id', 'desc')
          .limit(filter.limit)
          .offset(filter.offset)
          .execute(),
        q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
      ]);
      const items = rows.map((r) => ({
        id: r.id,
        fingerprint: r.fingerprint,
        alertname: r.alertname,
        event: r.event as HistoryEvent,
        at: r.at.getTime(),
        value: r.value,
        actor: r.actor,
        labels: fromJson<Labels>(r.labels),
      }));
      return { items, total: Number(counted.n) };
    },
  };
}
