import { LeaseLostError } from '@opsmesh/shared';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { errors } from '../../errors.js';
import type { AlertRepository, HistoryEntry, StoredAlert } from '../../models/alert-repository.js';
import type { MonitoringDB } from '../../models/db.js';
import type { NotificationRepository } from '../../models/notification-repository.js';
import type { ReceiverStatusRepository } from '../../models/receiver-status-repository.js';
import { emptyLabels } from '../metrics/labels.js';
import type { AlertmanagerClient } from '../notify/alertmanager-client.js';
import type { Alert, Transition } from './alert-state.js';
import type { AlertingEngine } from './alerting-engine.js';
import { fingerprint } from './fingerprint.js';
import type { AlertRule } from './rule-model.js';
import { buildWebhookPayload } from './webhook-payload.js';

export interface Receiver {
  name: string;
  url: string;
}

export interface AlertView extends StoredAlert {
  silencedBy: string[];
}

export interface IncomingWebhookAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations?: Record<string, string> | undefined;
  startsAt: string;
  endsAt?: string | undefined;
}

/** Whether this replica is the one that evaluates and notifies, and the check its writes carry. */
export interface Evaluator {
  readonly held: boolean;
  fence(trx: Kysely<MonitoringDB>): Promise<void>;
}

export interface AlertServiceDeps {
  engine: AlertingEngine;
  /** The evaluator lease; every replica serves alerts, only its holder evaluates and notifies. */
  evaluator: Evaluator;
  alerts: AlertRepository;
  notifications: NotificationRepository;
  receivers: readonly Receiver[];
  externalUrl: string;
  now: () => number;
  logger: FastifyBaseLogger;
  resolvedRetentionMs: number;
  alertmanager?: AlertmanagerClient | undefined;
  /** Records each Alertmanager post under the receiver name `alertmanager`. */
  receiverStatus?: ReceiverStatusRepository | undefined;
  /** Counts notifications that reach no receiver (`opsmesh_notifications_dropped_total`). */
  dropped?: (reason: DropReason) => void;
}

/** Why a notification went nowhere: no receiver configured, or one took it and passed it on nowhere. */
export type DropReason = 'no_receiver' | 'not_passed_on';

const time = (text: string | undefined): number | null => {
  if (!text || text.startsWith('0001-')) return null;
  const t = Date.parse(text);
  return Number.isNaN(t) ? null : t;
};

/**
 * The alert lifecycle around the evaluator. The replica holding the evaluator lease restores
 * the state from the database when it takes over, persists every evaluation's transitions and
 * history, turns due notifications into outbox rows (with the grouping state, atomically, fenced
 * by its lease) and forwards to Alertmanager. Every replica serves the alert list, history,
 * acknowledgements and the alerts Alertmanager sends back, all from the database.
 */
export class AlertService {
  constructor(private readonly deps: AlertServiceDeps) {}

  /** Loads the alerts and grouping state from the database: at start, and when taking over. */
  async init(): Promise<void> {
    const stored = await this.deps.alerts.listCurrent();
    const own: Alert[] = [];
    for (const a of stored) {
      if (a.source === 'rules' && a.ruleId !== null)
        own.push({ ...a, ruleId: a.ruleId, value: a.value ?? Number.NaN });
    }
    this.deps.engine.tracker.load(own);
    this.deps.engine.restoreGroups(await this.deps.notifications.loadGroups());
  }

  async setRules(rules: AlertRule[]): Promise<void> {
    const now = this.deps.now();
    const transitions = this.deps.engine.setRules(rules, now);
    for (const u of this.deps.engine.unevaluable)
      this.deps.logger.warn(
        { ruleId: u.ruleId, error: u.error },
        'rule not evaluated: it uses PromQL only Prometheus runs; set PROMETHEUS_URL or edit the rule',
      );
    // Only the evaluator writes alert state; the others learn it from the database.
    if (this.deps.evaluator.held) await this.persist(transitions, [], now);
  }

  /** One evaluation cycle at `now`, on the replica holding the evaluator lease. */
  async evaluate(): Promise<void> {
    if (!this.deps.evaluator.held) return;
    try {
      await this.evaluateAsHolder();
    } catch (err) {
      if (!(err instanceof LeaseLostError)) throw err;
      this.deps.logger.warn({ err: err.message }, 'evaluation left to the replica that took the lease over');
    }
  }

  private async evaluateAsHolder(): Promise<void> {
    const now = this.deps.now();
    const result = await this.deps.engine.evaluate(now);
    for (const f of result.failures)
      this.deps.logger.warn({ ruleId: f.ruleId, error: f.error }, 'rule evaluation failed');
    await this.persist(result.transitions, result.forgotten, now);
    const deliveries: Array<{ receiver: string; url: string; payload: unknown }> = [];
    const history: Array<Omit<HistoryEntry, 'id'>> = [];
    if (this.deps.receivers.length === 0 && !this.deps.alertmanager) {
      for (const n of result.notifications) {
        this.deps.dropped?.('no_receiver');
        this.deps.logger.debug(
          { groupKey: n.groupKey, status: n.status, alerts: n.alerts.length, reason: 'no_receiver' },
          'notification dropped: no receiver configured; set ALERT_RECEIVERS or ALERTMANAGER_URL',
        );
      }
    }
    for (const n of result.notifications) {
      for (const r of this.deps.receivers) {
        deliveries.push({
          receiver: r.name,
          url: r.url,
          payload: buildWebhookPayload(n, r.name, this.deps.externalUrl),
        });
      }
      for (const a of n.alerts) {
        history.push({
          fingerprint: a.fingerprint,
          alertname: a.labels['alertname'] ?? '',
          event: 'notified',
          at: now,
          value: a.value,
          actor: null,
          labels: a.labels,
        });
      }
    }
    // Grouping state is saved even without deliveries: group timers moved.
    await this.deps.notifications.commit(this.deps.engine.groupSnapshot(), deliveries, now, (trx) =>
      this.deps.evaluator.fence(trx),
    );
    if (this.deps.receivers.length > 0) await this.deps.alerts.addHistory(history);
    await this.deps.alerts.removeResolvedExternal(now - this.deps.resolvedRetentionMs);
    if (this.deps.alertmanager) {
      try {
        if (await this.deps.alertmanager.post(this.deps.engine.tracker.all(), now))
          await this.deps.receiverStatus?.attempted('alertmanager', now, null);
      } catch (err) {
        this.deps.logger.warn({ err }, 'posting alerts to Alertmanager failed; retried next cycle');
        await this.deps.receiverStatus?.attempted('alertmanager', now, (err as Error).message);
      }
    }
  }

  private async persist(
    transitions: readonly Transition[],
    forgotten: readonly Alert[],
    now: number,
  ): Promise<void> {
    const gone = new Set<string>(forgotten.map((a) => a.fingerprint));
    for (const t of transitions) if (t.to === 'inactive') gone.add(t.alert.fingerprint);
    const current = this.deps.engine.tracker.all().map((a) => this.stored(a));
    await this.deps.alerts.upsert(current.filter((a) => !gone.has(a.fingerprint)));
    await this.deps.alerts.remove([...gone].filter((fp) => !this.deps.engine.tracker.find(fp)));
    await this.deps.alerts.addHistory(
      transitions.map((t) => ({
        fingerprint: t.alert.fingerprint,
        alertname: t.alert.labels['alertname'] ?? '',
        event: t.to,
        at: now,
        value: t.alert.value,
        actor: null,
        labels: t.alert.labels,
      })),
    );
    // One line per firing and resolution, written by the one evaluating replica: what an operator
    // watching `npm start` wants to see (the supervisor's terminal view shows these lines).
    for (const t of transitions) {
      if (t.to !== 'firing' && t.to !== 'resolved') continue;
      const fields = {
        alertname: t.alert.labels['alertname'] ?? '',
        severity: t.alert.labels['severity'],
        alertService: t.alert.labels['service'],
        fingerprint: t.alert.fingerprint,
      };
      if (t.to === 'firing') this.deps.logger.warn(fields, 'alert firing');
      else this.deps.logger.info(fields, 'alert resolved');
    }
  }

  private stored(a: Alert): StoredAlert {
    return { ...a, source: 'rules', value: Number.isFinite(a.value) ? a.value : null };
  }

  /** Current alerts as stored, the same on every replica. */
  async list(filter: { state?: string | undefined; service?: string | undefined }): Promise<AlertView[]> {
    const now = this.deps.now();
    return (await this.deps.alerts.listCurrent())
      .filter((a) => (filter.state ? a.state === filter.state : true))
      .filter((a) => (filter.service ? a.labels['service'] === filter.service : true))
      .sort((a, b) => b.activeAt - a.activeAt)
      .map((a) => ({ ...a, silencedBy: this.deps.engine.silences.mutedBy(a.labels, now) }));
  }

  async acknowledge(fp: string, actor: string): Promise<AlertView> {
    const now = this.deps.now();
    const [target] = await this.deps.alerts.find([fp]);
    if (!target || !(await this.deps.alerts.acknowledge(fp, actor, now))) {
      throw errors.MONITORING_ALERT_NOT_FOUND({ fingerprint: fp });
    }
    const own = this.deps.engine.tracker.find(fp);
    if (own) {
      own.acknowledgedBy = actor;
      own.acknowledgedAt = now;
    }
    target.acknowledgedBy = actor;
    target.acknowledgedAt = now;
    await this.deps.alerts.addHistory([
      {
        fingerprint: fp,
        alertname: target.labels['alertname'] ?? '',
        event: 'acknowledged',
        at: now,
        value: target.value,
        actor,
        labels: target.labels,
      },
    ]);
    return { ...target, silencedBy: this.deps.engine.silences.mutedBy(target.labels, now) };
  }

  history(filter: {
    fingerprint?: string | undefined;
    before?: number | undefined;
    limit: number;
    offset: number;
  }): Promise<{ items: HistoryEntry[]; total: number }> {
    return this.deps.alerts.history({
      limit: filter.limit,
      offset: filter.offset,
      ...(filter.fingerprint ? { fingerprint: filter.fingerprint } : {}),
      ...(filter.before !== undefined ? { before: filter.before } : {}),
    });
  }

  /** Alerts from Alertmanager's webhook join the list (source `alertmanager`). */
  async receiveWebhook(alerts: readonly IncomingWebhookAlert[]): Promise<number> {
    const now = this.deps.now();
    // By fingerprint: alerts with the same labels in one webhook are one alert, the last word
    // wins (one upsert may not touch a row twice).
    const changed = new Map<string, StoredAlert>();
    const history: Array<Omit<HistoryEntry, 'id'>> = [];
    const incoming = alerts.map((a) => {
      const labels = emptyLabels();
      for (const [k, v] of Object.entries(a.labels)) labels[k] = String(v);
      return { a, labels, fp: fingerprint(labels) };
    });
    // Whichever replica Alertmanager reaches, the previous state comes from the database.
    const known = new Map(
      (await this.deps.alerts.find(incoming.map((i) => i.fp))).map((stored) => [stored.fingerprint, stored]),
    );
    for (const { a, labels, fp } of incoming) {
      const stored = known.get(fp);
      // An alert of ours that comes back from Alertmanager is the same alert: ours stays.
      if (stored?.source === 'rules') continue;
      const previous = stored;
      const startsAt = time(a.startsAt) ?? now;
      const resolved = a.status === 'resolved';
      const alert: StoredAlert = {
        fingerprint: fp,
        ruleId: null,
        source: 'alertmanager',
        state: resolved ? 'resolved' : 'firing',
        labels,
        annotations: { ...(a.annotations ?? {}) },
        value: null,
        activeAt: previous?.activeAt ?? startsAt,
        firedAt: previous?.firedAt ?? startsAt,
        resolvedAt: resolved ? (time(a.endsAt) ?? now) : null,
        lastEvalAt: now,
        acknowledgedBy: previous?.acknowledgedBy ?? null,
        acknowledgedAt: previous?.acknowledgedAt ?? null,
      };
      if (previous?.state !== alert.state) {
        history.push({
          fingerprint: fp,
          alertname: labels['alertname'] ?? '',
          event: alert.state,
          at: now,
          value: null,
          actor: 'alertmanager',
          labels,
        });
      }
      known.set(fp, alert);
      changed.set(fp, alert);
    }
    await this.deps.alerts.upsert([...changed.values()]);
    await this.deps.alerts.addHistory(history);
    return changed.size;
  }
}
