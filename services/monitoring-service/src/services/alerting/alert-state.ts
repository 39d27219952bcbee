import { emptyLabels, type Labels } from '../metrics/labels.js';
import type { VectorSample } from '../metrics/query-functions.js';
import { fingerprint } from './fingerprint.js';
import type { CompiledRule } from './rule-model.js';
import { renderCompiled } from './template.js';

export type AlertState = 'pending' | 'firing' | 'resolved';

export interface Alert {
  fingerprint: string;
  ruleId: string;
  labels: Labels;
  annotations: Record<string, string>;
  state: AlertState;
  value: number;
  activeAt: number;
  firedAt: number | null;
  resolvedAt: number | null;
  lastEvalAt: number;
  acknowledgedBy: string | null;
  acknowledgedAt: number | null;
  /** When a firing alert's expression stopped returning it, while `keep_firing_for` holds it. */
  keepFiringSince?: number | null;
}

export interface Transition {
  /** `inactive`: a pending alert whose condition cleared before `for` elapsed. */
  to: AlertState | 'inactive';
  alert: Alert;
}

export interface AlertTrackerOptions {
  /** How long a resolved alert stays listed (and notifiable) before it is forgotten. */
  resolvedRetentionMs: number;
}

/**
 * Prometheus' alert states per rule: a label set meeting the condition becomes pending,
 * firing once it has held for the rule's `for`, and resolved when it stops holding. The
 * clock is the `now` passed in, so tests drive it step by step.
 */
export class AlertTracker {
  private readonly byRule = new Map<string, Map<string, Alert>>();

  constructor(private readonly options: AlertTrackerOptions) {}

  /**
   * Replaces the alerts with those kept in the database (a restart, or taking evaluation over
   * from another replica), so firing ones stay firing without a new notice.
   */
  load(alerts: readonly Alert[]): void {
    this.byRule.clear();
    for (const a of alerts) this.rule(a.ruleId).set(a.fingerprint, { ...a });
  }

  private rule(ruleId: string): Map<string, Alert> {
    let m = this.byRule.get(ruleId);
    if (!m) {
      m = new Map();
      this.byRule.set(ruleId, m);
    }
    return m;
  }

  /**
   * Applies one evaluation of a rule at `now` and returns the state changes. Every sample of
   * the result is an alert, as in Prometheus: its labels (without `__name__`), then the rule's
   * labels (templated), then `severity` and `alertname`.
   */
  apply(compiled: CompiledRule, results: readonly VectorSample[], now: number): Transition[] {
    const { rule } = compiled;
    const alerts = this.rule(rule.id);
    const transitions: Transition[] = [];
    const seen = new Set<string>();
    for (const r of results) {
      const labels = emptyLabels();
      for (const [k, v] of Object.entries(r.labels)) if (k !== '__name__') labels[k] = v;
      // Rule label templates see the series' labels, as Prometheus expands them.
      const seriesLabels = { ...labels };
      for (const [k, parts] of compiled.labels) {
        const v = renderCompiled(parts, seriesLabels, r.value);
        if (v === '') delete labels[k];
        else labels[k] = v;
      }
      labels['severity'] = rule.severity;
      labels['alertname'] = rule.name;
      const fp = fingerprint(labels);
      seen.add(fp);
      const annotations: Record<string, string> = {};
      for (const [k, parts] of compiled.annotations)
        annotations[k] = renderCompiled(parts, seriesLabels, r.value);
      let alert = alerts.get(fp);
      if (alert === undefined || alert.state === 'resolved') {
        alert = {
          fingerprint: fp,
          ruleId: rule.id,
          labels,
          annotations,
          state: 'pending',
          value: r.value,
          activeAt: now,
          firedAt: null,
          resolvedAt: null,
          lastEvalAt: now,
          acknowledgedBy: null,
          acknowledgedAt: null,
        };
        alerts.set(fp, alert);
        transitions.push({ to: 'pending', alert });
      }
      alert.value = r.value;
      alert.annotations = annotations;
      alert.lastEvalAt = now;
      alert.keepFiringSince = null;
      if (alert.state === 'pending' && now - alert.activeAt >= compiled.forMs) {
        alert.state = 'firing';
        alert.firedAt = now;
        transitions.push({ to: 'firing', alert });
      }
    }
    for (const [fp, alert] of alerts) {
      if (seen.has(fp)) continue;
      if (alert.state === 'pending') {
        alerts.delete(fp);
        transitions.push({ to: 'inactive', alert });
      } else if (alert.state === 'firing') {
        // keep_firing_for: a firing alert stays firing that long after its condition cleared.
        if (compiled.keepFiringForMs > 0) {
          alert.keepFiringSince ??= now;
          if (now - alert.keepFiringSince < compiled.keepFiringForMs) {
            alert.lastEvalAt = now;
            continue;
          }
        }
        alert.keepFiringSince = null;
        alert.state = 'resolved';
        alert.resolvedAt = now;
        alert.lastEvalAt = now;
        transitions.push({ to: 'resolved', alert });
      }
    }
    return transitions;
  }

  /** Forgets resolved alerts older than the retention; returns them. */
  sweep(now: number): Alert[] {
    const gone: Alert[] = [];
    for (const [ruleId, alerts] of this.byRule) {
      for (const [fp, alert] of alerts) {
        if (
          alert.state === 'resolved' &&
          now - (alert.resolvedAt ?? now) >= this.options.resolvedRetentionMs
        ) {
          alerts.delete(fp);
          gone.push(alert);
        }
      }
      if (alerts.size === 0) this.byRule.delete(ruleId);
    }
    return gone;
  }

  /** A deleted or disabled rule: its firing alerts resolve, its pending ones vanish. */
  dropRule(ruleId: string, now: number): Transition[] {
    const alerts = this.byRule.get(ruleId);
    if (!alerts) return [];
    const transitions: Transition[] = [];
    for (const [fp, alert] of alerts) {
      if (alert.state === 'firing') {
        alert.state = 'resolved';
        alert.resolvedAt = now;
        transitions.push({ to: 'resolved', alert });
      } else if (alert.state === 'pending') {
        alerts.delete(fp);
        transitions.push({ to: 'inactive', alert });
      }
    }
    // Resolved alerts stay until sweep(), so their resolution is still notified.
    return transitions;
  }

  all(): Alert[] {
    return [...this.byRule.values()].flatMap((m) => [...m.values()]);
  }

  find(fp: string): Alert | undefined {
    for (const m of this.byRule.values()) {
      const a = m.get(fp);
      if (a) return a;
    }
    return undefined;
  }
}
