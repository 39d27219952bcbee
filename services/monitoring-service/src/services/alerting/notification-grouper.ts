import { emptyLabels, type Labels, labelsKey } from '../metrics/labels.js';
import type { Alert } from './alert-state.js';

export interface GroupingOptions {
  /** Labels that split alerts into notification groups (Alertmanager's group_by). */
  groupBy: readonly string[];
  /** Wait before the first notification of a new group, to batch alerts arriving together. */
  groupWaitMs: number;
  /** Minimum time between notifications of a group about changes. */
  groupIntervalMs: number;
  /** Time after which a still-firing group is notified again although nothing changed. */
  repeatIntervalMs: number;
}

export interface GroupNotification {
  groupKey: string;
  groupLabels: Labels;
  status: 'firing' | 'resolved';
  alerts: Alert[];
  at: number;
}

/** What must survive a restart so that nothing is notified twice. */
export interface GroupState {
  key: string;
  labels: Labels;
  nextFlushAt: number;
  lastNotifiedAt: number | null;
  /** Fingerprint → status last notified for it. */
  sent: Record<string, 'firing'>;
}

/**
 * Alertmanager's notification grouping with an explicit clock. Each `flush(alerts, now)`
 * gets the current notifiable alerts (firing and resolved, silenced ones already removed)
 * and returns the notifications due: a new group after group_wait, a changed group at most
 * every group_interval, an unchanged firing group again after repeat_interval. A resolved
 * alert is notified once, and only if its firing was notified.
 */
export class NotificationGrouper {
  private readonly groups = new Map<string, GroupState>();

  constructor(private readonly options: GroupingOptions) {}

  /** Replaces the groups with `states` (a restart, or taking evaluation over from another replica). */
  restore(states: readonly GroupState[]): void {
    this.groups.clear();
    for (const s of states) this.groups.set(s.key, { ...s, sent: { ...s.sent } });
  }

  snapshot(): GroupState[] {
    return [...this.groups.values()].map((s) => ({ ...s, sent: { ...s.sent } }));
  }

  groupOf(alert: Alert): { key: string; labels: Labels } {
    const labels = emptyLabels();
    for (const name of this.options.groupBy) {
      const v = alert.labels[name];
      if (v !== undefined) labels[name] = v;
    }
    return { key: '{}:' + labelsKey(labels), labels };
  }

  flush(alerts: readonly Alert[], now: number): GroupNotification[] {
    const members = new Map<string, Alert[]>();
    for (const alert of alerts) {
      if (alert.state === 'pending') continue;
      const { key, labels } = this.groupOf(alert);
      let list = members.get(key);
      if (!list) {
        list = [];
        members.set(key, list);
      }
      list.push(alert);
      if (!this.groups.has(key) && alert.state === 'firing') {
        this.groups.set(key, {
          key,
          labels,
          nextFlushAt: now + this.options.groupWaitMs,
          lastNotifiedAt: null,
          sent: {},
        });
      }
    }
    const out: GroupNotification[] = [];
    for (const [key, group] of this.groups) {
      const current = members.get(key) ?? [];
      if (current.length === 0 && Object.keys(group.sent).length === 0) {
        this.groups.delete(key);
        continue;
      }
      if (now < group.nextFlushAt) continue;
      group.nextFlushAt = now + this.options.groupIntervalMs;
      const firing = current.filter((a) => a.state === 'firing');
      const resolved = current.filter(
        (a) => a.state === 'resolved' && group.sent[a.fingerprint] === 'firing',
      );
      const changed = firing.some((a) => group.sent[a.fingerprint] !== 'firing') || resolved.length > 0;
      const repeat =
        firing.length > 0 &&
        group.lastNotifiedAt !== null &&
        now - group.lastNotifiedAt >= this.options.repeatIntervalMs;
      // Alerts notified as firing that vanished without resolving (silenced, rule removed):
      // forget them quietly, as Alertmanager does.
      const present = new Set(current.map((a) => a.fingerprint));
      for (const fp of Object.keys(group.sent)) if (!present.has(fp)) delete group.sent[fp];
      if (!changed && !repeat) continue;
      for (const a of firing) group.sent[a.fingerprint] = 'firing';
      for (const a of resolved) delete group.sent[a.fingerprint];
      group.lastNotifiedAt = now;
      out.push({
        groupKey: key,
        groupLabels: group.labels,
        status: firing.length > 0 ? 'firing' : 'resolved',
        alerts: [...firing, ...resolved],
        at: now,
      });
    }
    return out;
  }
}
