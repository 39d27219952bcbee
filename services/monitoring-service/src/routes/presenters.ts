import type { Alert, HttpSdResponseSchema, Rule, Silence } from '@opsmesh/contracts';
import type { Static } from '@sinclair/typebox';
import type { HistoryEntry } from '../models/alert-repository.js';
import type { AlertView } from '../services/alerting/alert-service.js';
import { type AlertRule, ruleThreshold } from '../services/alerting/rule-model.js';
import type { Silence as SilenceModel, SilenceState } from '../services/alerting/silences.js';
import type { ScrapeTarget } from '../services/scraping/scraper.js';

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));
export const finiteOrNull = (v: number | null | undefined) =>
  v === null || v === undefined || !Number.isFinite(v) ? null : v;

export function presentAlert(a: AlertView): Alert {
  return {
    fingerprint: a.fingerprint,
    alertname: a.labels['alertname'] ?? '',
    ruleId: a.ruleId,
    source: a.source,
    state: a.state,
    labels: { ...a.labels },
    annotations: { ...a.annotations },
    value: finiteOrNull(a.value),
    activeAt: iso(a.activeAt),
    firedAt: isoOrNull(a.firedAt),
    resolvedAt: isoOrNull(a.resolvedAt),
    silencedBy: a.silencedBy,
    acknowledgedBy: a.acknowledgedBy,
    acknowledgedAt: isoOrNull(a.acknowledgedAt),
  };
}

export function presentHistory(e: HistoryEntry) {
  return {
    id: e.id,
    fingerprint: e.fingerprint,
    alertname: e.alertname,
    event: e.event,
    at: iso(e.at),
    value: finiteOrNull(e.value),
    actor: e.actor,
    labels: { ...e.labels },
  };
}

export function presentRule(r: AlertRule): Rule {
  const threshold = ruleThreshold(r.expr);
  return { ...r, ...(threshold ? { threshold } : {}) };
}

export function presentSilence(s: SilenceModel & { state: SilenceState }): Silence {
  return {
    id: s.id,
    matchers: s.matchers.map((m) => ({ name: m.name, op: m.op, value: m.value })),
    startsAt: iso(s.startsAt),
    endsAt: iso(s.endsAt),
    createdBy: s.createdBy,
    comment: s.comment,
    createdAt: iso(s.createdAt),
    state: s.state,
  };
}

/** Prometheus `http_sd_configs` groups: one per service, its instances as host:port targets. */
export function presentHttpSd(targets: readonly ScrapeTarget[]): Static<typeof HttpSdResponseSchema> {
  const byService = new Map<string, { targets: string[]; scheme: string }>();
  for (const t of targets) {
    const scheme = new URL(t.url).protocol.replace(':', '');
    const key = `${t.service}\u0000${scheme}`;
    const g = byService.get(key) ?? { targets: [], scheme };
    g.targets.push(t.instance);
    byService.set(key, g);
  }
  return [...byService].map(([key, g]) => ({
    targets: g.targets,
    labels: { service: key.split('\u0000')[0]!, __scheme__: g.scheme, __metrics_path__: '/metrics' },
  }));
}
