import type { AlertmanagerAlert } from './alertmanager-payload.js';

/** Sends alerts whose labels include every pair of `match` to `channel`. */
export interface NotificationRoute {
  match: Record<string, string>;
  channel: string;
}

export interface RoutingTable {
  routes: NotificationRoute[];
  defaultChannel: string;
}

/**
 * Parses `severity=critical:#ops-critical;service=ml-service,severity=warning:#ml` (routes separated
 * by `;`, label pairs by `,`, channel after the last `:`). Throws naming the bad entry.
 *
 * @example parseRoutes('severity=critical:#pager', '#alerts').routes[0] // { match: { severity: 'critical' }, channel: '#pager' }
 */
export function parseRoutes(spec: string, defaultChannel: string): RoutingTable {
  const routes: NotificationRoute[] = [];
  for (const entry of spec
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const at = entry.lastIndexOf(':');
    const channel = entry.slice(at + 1).trim();
    const matchers = entry.slice(0, Math.max(at, 0));
    if (at <= 0 || channel === '')
      throw new Error(`route "${entry}" needs labels and a channel: label=value:#channel`);
    const match: Record<string, string> = {};
    for (const pair of matchers.split(',')) {
      const [key, value, ...extra] = pair.split('=').map((s) => s.trim());
      if (!key || !value || extra.length > 0) throw new Error(`route "${entry}" has a bad matcher "${pair}"`);
      match[key] = value;
    }
    routes.push({ match, channel });
  }
  return { routes, defaultChannel };
}

/** The channel of the first route matching the alert's labels, else the default channel. */
export function channelFor(table: RoutingTable, alert: Pick<AlertmanagerAlert, 'labels'>): string {
  for (const route of table.routes) {
    if (Object.entries(route.match).every(([k, v]) => alert.labels[k] === v)) return route.channel;
  }
  return table.defaultChannel;
}

/** Splits a group of alerts by destination channel, keeping their order. */
export function partitionByChannel<T extends Pick<AlertmanagerAlert, 'labels'>>(
  table: RoutingTable,
  alerts: readonly T[],
): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const alert of alerts) {
    const channel = channelFor(table, alert);
    out.set(channel, [...(out.get(channel) ?? []), alert]);
  }
  return out;
}
