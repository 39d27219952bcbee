import type { FastifyBaseLogger } from 'fastify';
import { errors } from '../../errors.js';
import type { AlertRepository, HistoryEntry, StoredAlert } from '../../models/alert-repository.js';
import type { NotificationRepository } from '../../models/notification-repository.js';
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

export interface AlertServiceDeps {
  engine: AlertingEngine;
  alerts: AlertRepository;
  notifications: NotificationRepository;
  receivers: readonly Receiver[];
  externalUrl: string;
  now: () => number;
  logger: FastifyBaseLogger;
  resolvedRetentionMs: number;
  alertmanager?: AlertmanagerClient | undefined;
}

const time = (text: string | undefined): number | null => {
  if (!text || text.startsWith('0001-')) return null;
  const t = Date.parse(text);
  return Number.isNaN(t) ? null : t;
};

/**
 * The alert lifecycle around the evaluator: it restores state at start, persists every
 * evaluation's transitions and history, turns due notifications into outbox rows (with the
 * grouping state, atomically), forwards to Alertmanager, and serves the alert list, history,
 * acknowledgements and the alerts Alertmanager sends back.
 */
export class AlertService {
  /** Alerts received from Alertmanager's webhook, by fingerprint. */
  private readonly external = new Map<string, StoredAlert>();

  constructor(private readonly deps: AlertServiceDeps) {}

  async init(): Promise<void> {
    const stored = await this.deps.alerts.listCurrent();
    const own: Alert[] = [];
    for (const a of stored) {
      if (a.source === 'alertmanager') this.external.set(a.fingerprint, a);
      else if (a.ruleId !== null) own.push({ ...a, ruleId: a.ruleId, value: a.value ?? Number.NaN });
    }
    this.deps.engine.tracker.load(own);
    this.deps.engine.restoreGroups(await this.deps.notifications.loadGroups());
  }

  async setRules(rules: AlertRule[]): Promise<void> {
    const now = this.deps.now();
    const transitions = this.deps.engine.setRules(rules, now);
    await this.persist(transitions, [], now);
  }

  /** One evaluation cycle at `now`. */
  async evaluate(): Promise<void> {
    const now = this.deps.now();
    const result = await this.deps.engine.evaluate(now);
    for (const f of result.failures)
      this.deps.logger.warn({ ruleId: f.ruleId, error: f.error }, 'rule evaluation failed');
    await this.persist(result.transitions, result.forgotten, now);
    const deliveries: Array<{ receiver: string; url: string; payload: unknown }> = [];
    const history: Array<Omit<HistoryEntry, 'id'>> = [];
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
    await this.deps.notifications.commit(this.deps.engine.groupSnapshot(), deliveries, now);
    if (this.deps.receivers.length > 0) await this.deps.alerts.addHistory(history);
    this.forgetExternal(now);
    if (this.deps.alertmanager) {
      try {
        await this.deps.alertmanager.post(this.deps.engine.tracker.all(), now);
      } catch (err) {
        this.deps.logger.warn({ err }, 'posting alerts to Alertmanager failed; retried next cycle');
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
  }

  private stored(a: Alert): StoredAlert {
    return { ...a, source: 'rules', value: Number.isFinite(a.value) ? a.value : null };
  }

  list(filter: { state?: string | undefined; service?: string | undefined }): AlertView[] {
    const now = this.deps.now();
    const own = this.deps.engine.tracker.all().map((a) => this.stored(a));
    const ownFps = new Set(own.map((a) => a.fingerprint));
    // An alert of ours that comes back from Alertmanager is the same alert: listed once.
    const all = [...own, ...[...this.external.values()].filter((a) => !ownFps.has(a.fingerprint))];
    return all
      .filter((a) => (filter.state ? a.state === filter.state : true))
      .filter((a) => (filter.service ? a.labels['service'] === filter.service : true))
      .sort((a, b) => b.activeAt - a.activeAt)
      .map((a) => ({ ...a, silencedBy: this.deps.engine.silences.mutedBy(a.labels, now) }));
  }

  async acknowledge(fp: string, actor: string): Promise<AlertView> {
    const now = this.deps.now();
    const own = this.deps.engine.tracker.find(fp);
    const target: StoredAlert | undefined = own ? this.stored(own) : this.external.get(fp);
    if (!target) throw errors.MONITORING_ALERT_NOT_FOUND({ fingerprint: fp });
    if (own) {
      own.acknowledgedBy = actor;
      own.acknowledgedAt = now;
    }
    target.acknowledgedBy = actor;
    target.acknowledgedAt = now;
    await this.deps.alerts.upsert([target]);
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
  }): Promise<HistoryEntry[]> {
    return this.deps.alerts.history({
      limit: filter.limit,
      ...(filter.fingerprint ? { fingerprint: filter.fingerprint } : {}),
      ...(filter.before !== undefined ? { before: filter.before } : {}),
    });
  }

  /** Alerts from Alertmanager's webhook join the list (source `alertmanager`). */
  async receiveWebhook(alerts: readonly IncomingWebhookAlert[]): Promise<number> {
    const now = this.deps.now();
    const changed: StoredAlert[] = [];
    const history: Array<Omit<HistoryEntry, 'id'>> = [];
    for (const a of alerts) {
      const labels = emptyLabels();
      for (const [k, v] of Object.entries(a.labels)) labels[k] = String(v);
      const fp = fingerprint(labels);
      const previous = this.external.get(fp);
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
      this.external.set(fp, alert);
      changed.push(alert);
    }
    await this.deps.alerts.upsert(changed);
    await this.deps.alerts.addHistory(history);
    return changed.length;
  }

  private forgetExternal(now: number): void {
    const gone: string[] = [];
    for (const [fp, a] of this.external) {
      if (a.state === 'resolved' && now - (a.resolvedAt ?? now) >= this.deps.resolvedRetentionMs) {
        this.external.delete(fp);
        gone.push(fp);
      }
    }
    if (gone.length > 0) void this.deps.alerts.remove(gone).catch(() => {});
  }
}
