import {
  type Block,
  context,
  divider,
  escapeMrkdwn,
  header,
  link,
  markup,
  section,
} from '../slack/blocks.js';
import type { AlertmanagerAlert, AlertmanagerPayload } from './alertmanager-payload.js';

export interface AlertMessage {
  /** Notification and fallback text, as Slack mrkdwn (label and summary text escaped). */
  text: string;
  blocks: Block[];
}

const SEVERITY_ICON: Record<string, string> = {
  critical: ':red_circle:',
  warning: ':large_orange_circle:',
  info: ':large_blue_circle:',
};
const MAX_LISTED = 20;

/**
 * A timestamp as replies show it, to the minute, or undefined when it is none (Alertmanager's zero
 * time) or unreadable.
 *
 * @example since('2026-12-06T10:14:03.120Z') // '2026-12-06 10:14 UTC'
 */
export function since(iso: string | undefined): string | undefined {
  if (!iso || iso.startsWith('0001-')) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function alertLine(alert: AlertmanagerAlert): string {
  const name = alert.labels['alertname'] ?? 'alert';
  const severity = alert.labels['severity'] ?? 'none';
  const service = alert.labels['service'] ?? alert.labels['job'] ?? alert.labels['instance'];
  const summary = alert.annotations['summary'] ?? alert.annotations['description'] ?? '';
  const icon =
    alert.status === 'resolved' ? ':white_check_mark:' : (SEVERITY_ICON[severity] ?? ':white_circle:');
  const head = [`${icon} *${escapeMrkdwn(name)}*`, `\`${escapeMrkdwn(severity)}\``];
  if (service) head.push(escapeMrkdwn(service));
  const links = [
    link(alert.generatorURL, 'source'),
    link(alert.annotations['runbook_url'], 'runbook'),
    link(alert.annotations['dashboard_url'], 'dashboard'),
  ].filter(Boolean);
  const when =
    alert.status === 'resolved'
      ? `resolved ${since(alert.endsAt) ?? ''}`.trim()
      : `since ${since(alert.startsAt) ?? '?'}`;
  const lines = [head.join(' · ')];
  if (summary) lines.push(escapeMrkdwn(summary));
  lines.push([when, ...links].join(' · '));
  return lines.join('\n');
}

/**
 * One readable Slack message for a group of alerts going to one channel: a header with the status and
 * count, one section per alert (status, severity, service, summary, links), and the group's labels.
 */
export function formatAlertGroup(
  payload: AlertmanagerPayload,
  alerts: readonly AlertmanagerAlert[],
): AlertMessage {
  const firing = alerts.filter((a) => a.status === 'firing').length;
  const resolved = alerts.length - firing;
  const status = firing > 0 ? 'FIRING' : 'RESOLVED';
  const names = [...new Set(alerts.map((a) => a.labels['alertname'] ?? 'alert'))];
  const title = `${status === 'FIRING' ? ':rotating_light:' : ':white_check_mark:'} ${status}: ${escapeMrkdwn(names.join(', '))}`;
  const counts = [firing > 0 ? `${firing} firing` : '', resolved > 0 ? `${resolved} resolved` : '']
    .filter(Boolean)
    .join(', ');
  const blocks: Block[] = [header(`${status}: ${names.join(', ')} (${counts})`)];
  for (const alert of alerts.slice(0, MAX_LISTED)) blocks.push(section(markup(alertLine(alert))));
  const hidden = alerts.length - MAX_LISTED + (payload.truncatedAlerts ?? 0);
  if (hidden > 0) blocks.push(context(`…and ${hidden} more alert(s) in this group.`));
  blocks.push(divider());
  const labels = Object.entries(payload.groupLabels)
    .map(([k, v]) => `${escapeMrkdwn(k)}=${escapeMrkdwn(v)}`)
    .join(', ');
  const footer = [labels ? `group: ${labels}` : '', link(payload.externalURL, 'Alertmanager')].filter(
    Boolean,
  );
  if (footer.length > 0) blocks.push(context(markup(footer.join(' · '))));
  const summaries = alerts
    .slice(0, 3)
    .map((a) => a.annotations['summary'])
    .filter(Boolean);
  const text = `${title} (${counts})${summaries.length > 0 ? ` — ${escapeMrkdwn(summaries.join('; '))}` : ''}`;
  return { text, blocks };
}
