import {
  type Alert,
  type ServicesResponse,
  SILENCE_PAGE_MAX,
  type SignalsResponse,
  type Silence,
} from '@opsmesh/contracts';
import { collectPages, type HttpClient } from '@opsmesh/shared';
import type { Actor } from '../../models/command.js';
import { callAs, callAsWithHeaders } from './upstream.js';

const enc = encodeURIComponent;

/** Label matchers in the monitoring service's text form: `alertname="ServiceDown"`. */
export function matcherText(name: string, value: string): string {
  return `${name}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The monitoring service's API as ChatOps uses it (types from its contract); every path lives here. */
export function monitoringApi(client: HttpClient) {
  return {
    signals: (actor: Actor, window: string) =>
      callAs<SignalsResponse>(client, actor, { path: '/signals', query: { window } }),
    /** Every service with its instances' scrapes: why a signal may have no value. */
    services: (actor: Actor) => callAs<ServicesResponse>(client, actor, { path: '/services' }),
    alerts: async (actor: Actor, filter: { service?: string | undefined }) =>
      (await callAs<{ alerts: Alert[] }>(client, actor, { path: '/alerts', query: { ...filter } })).alerts,
    ack: (actor: Actor, fingerprint: string, comment: string | undefined) =>
      callAs<Alert>(client, actor, {
        method: 'POST',
        path: `/alerts/${enc(fingerprint)}/ack`,
        body: comment ? { comment } : {},
      }),
    silence: (actor: Actor, body: { matchers: string[]; duration: string; comment: string }) =>
      callAs<Silence>(client, actor, { method: 'POST', path: '/silences', body }),
    silences: (actor: Actor) =>
      collectPages(async (offset) => {
        const res = await callAsWithHeaders<{ silences: Silence[] }>(client, actor, {
          path: '/silences',
          query: { state: 'active', limit: SILENCE_PAGE_MAX, offset },
        });
        return { items: res.data.silences, headers: res.headers };
      }),
    unsilence: (actor: Actor, id: string) =>
      callAs<unknown>(client, actor, { method: 'DELETE', path: `/silences/${enc(id)}` }),
  };
}
export type MonitoringApi = ReturnType<typeof monitoringApi>;
