import { emptyLabels, type Labels } from '../metrics/labels.js';
import type { Alert } from './alert-state.js';
import type { GroupNotification } from './notification-grouper.js';

/** Alertmanager's "zero time", used for endsAt of alerts that have not ended. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

export interface WebhookAlert {
  status: 'firing' | 'resolved';
  labels: Labels;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

/** The Alertmanager webhook body, version 4. */
export interface WebhookPayload {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Labels;
  commonLabels: Labels;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: WebhookAlert[];
}

function common(maps: ReadonlyArray<Readonly<Record<string, string>>>): Record<string, string> {
  const out = emptyLabels();
  const [first, ...rest] = maps;
  if (!first) return out;
  for (const [k, v] of Object.entries(first)) if (rest.every((m) => m[k] === v)) out[k] = v;
  return out;
}

export function toWebhookAlert(a: Alert, externalUrl: string): WebhookAlert {
  const resolved = a.state === 'resolved';
  return {
    status: resolved ? 'resolved' : 'firing',
    labels: a.labels,
    annotations: a.annotations,
    startsAt: new Date(a.firedAt ?? a.activeAt).toISOString(),
    endsAt: resolved && a.resolvedAt !== null ? new Date(a.resolvedAt).toISOString() : ZERO_TIME,
    generatorURL: `${externalUrl}/alerts?fingerprint=${a.fingerprint}`,
    fingerprint: a.fingerprint,
  };
}

/** Builds the webhook body a receiver gets for one group notification. */
export function buildWebhookPayload(
  n: GroupNotification,
  receiver: string,
  externalUrl: string,
): WebhookPayload {
  return {
    version: '4',
    groupKey: n.groupKey,
    truncatedAlerts: 0,
    status: n.status,
    receiver,
    groupLabels: n.groupLabels,
    commonLabels: common(n.alerts.map((a) => a.labels)),
    commonAnnotations: common(n.alerts.map((a) => a.annotations)),
    externalURL: externalUrl,
    alerts: n.alerts.map((a) => toWebhookAlert(a, externalUrl)),
  };
}
