import type { Receiver as ReceiverView } from '@opsmesh/contracts';
import type { ReceiverStatusRepository } from '../../models/receiver-status-repository.js';
import type { Receiver } from '../alerting/alert-service.js';

/** What to set when alerts go nowhere: said at start and by GET /notifications/receivers. */
export const NO_RECEIVER_HINT =
  'set ALERT_RECEIVERS (name=url of an Alertmanager-format webhook, e.g. chatops=<the ChatOps service>/notifications/alertmanager, which `npm start` sets) or ALERTMANAGER_URL, and restart the monitoring service';

/** Scheme, host and path: a URL may carry credentials or a token in its query. */
function shown(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/**
 * Where alerts go: every configured receiver (webhooks, the ChatOps service, Alertmanager) with
 * its last delivery and what waits for it, read from the database so every replica says the same.
 */
export class ReceiverDirectory {
  constructor(
    private readonly options: {
      receivers: readonly Receiver[];
      alertmanagerUrl?: string | undefined;
      status: ReceiverStatusRepository;
    },
  ) {}

  get configured(): boolean {
    return this.options.receivers.length > 0 || this.options.alertmanagerUrl !== undefined;
  }

  async list(): Promise<{ receivers: ReceiverView[]; hint: string | null }> {
    const [statuses, pending] = await Promise.all([
      this.options.status.list(),
      this.options.status.pending(),
    ]);
    const byName = new Map(statuses.map((s) => [s.receiver, s]));
    const entry = (name: string, kind: ReceiverView['kind'], url: string): ReceiverView => {
      const s = byName.get(name);
      return {
        name,
        kind,
        url: shown(url),
        lastAttemptAt: iso(s?.lastAttemptAt ?? null),
        lastSuccessAt: iso(s?.lastSuccessAt ?? null),
        lastError: s?.lastError ?? null,
        lastErrorAt: iso(s?.lastErrorAt ?? null),
        pending: pending.get(name) ?? 0,
      };
    };
    const receivers = this.options.receivers.map((r) =>
      entry(
        r.name,
        new URL(r.url).pathname.endsWith('/notifications/alertmanager') ? 'chatops' : 'webhook',
        r.url,
      ),
    );
    if (this.options.alertmanagerUrl)
      receivers.push(entry('alertmanager', 'alertmanager', this.options.alertmanagerUrl));
    return { receivers, hint: this.configured ? null : NO_RECEIVER_HINT };
  }
}
