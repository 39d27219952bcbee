import type { NotificationRepository, OutboxEntry } from '../../models/notification-repository.js';
import type { ReceiverStatusRepository } from '../../models/receiver-status-repository.js';

export interface Backoff {
  baseMs: number;
  maxMs: number;
}

/** Delay before attempt `attempts + 1`: doubling from baseMs, capped at maxMs. */
export function backoffDelay(attempts: number, backoff: Backoff): number {
  return Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * What a receiver that answers like the ChatOps service (`{ deliveries: [{ channel, ok, error }] }`)
 * says it could not pass on, e.g. `#alerts: slack_not_configured`; null when it passed everything
 * on or answers in another shape.
 */
export function notPassedOn(body: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  const deliveries = (parsed as { deliveries?: unknown } | null)?.deliveries;
  if (!Array.isArray(deliveries)) return null;
  const failed = deliveries
    .filter((d): d is { channel?: unknown; error?: unknown } => typeof d === 'object' && d?.ok === false)
    .map((d) => `${String(d.channel ?? '?')}: ${String(d.error ?? 'failed')}`);
  return failed.length > 0 ? failed.join('; ') : null;
}

export interface DeliveryReport {
  delivered: number;
  failed: number;
}

/**
 * Delivers the persisted outbox: each due entry is POSTed as JSON to its receiver; a 2xx marks
 * it delivered, anything else schedules a retry with exponential backoff. Entries stay until
 * they are delivered, so a receiver down for a while gets every notification once it is back.
 * Delivery is at-least-once: a crash between the receiver's 2xx and the mark can repeat one.
 */
export class OutboxDeliverer {
  private readonly fetch: typeof fetch;
  private running: Promise<DeliveryReport> | null = null;

  constructor(
    private readonly options: {
      repository: NotificationRepository;
      timeoutMs: number;
      backoff: Backoff;
      now: () => number;
      batchSize?: number;
      fetch?: typeof fetch;
      headers?: Record<string, string>;
      /** Where each receiver's last attempt is recorded, for GET /notifications/receivers. */
      status?: ReceiverStatusRepository;
      /** A receiver took a notification (2xx) but says it passed it on nowhere. */
      onNotPassedOn?: (entry: OutboxEntry, detail: string) => void;
    },
  ) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** One pass over the due entries; concurrent calls share the pass in progress. */
  deliverDue(): Promise<DeliveryReport> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<DeliveryReport> {
    const report: DeliveryReport = { delivered: 0, failed: 0 };
    const { repository, now } = this.options;
    const due = await repository.due(now(), this.options.batchSize ?? 100);
    // Oldest first and one at a time per pass: a receiver sees notifications in order.
    for (const entry of due) {
      let error: string | null = null;
      let undelivered: string | null = null;
      try {
        const res = await this.fetch(entry.url, {
          method: 'POST',
          // The outbox id names the notification, so a receiver can tell a resend (after a crash
          // between its answer and our record of it) from a new one.
          headers: {
            'content-type': 'application/json',
            'idempotency-key': entry.id,
            ...this.options.headers,
          },
          body: JSON.stringify(entry.payload),
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
        if (!res.ok) {
          await res.body?.cancel();
          error = `HTTP ${res.status}`;
        } else {
          // Taken: delivered either way (a receiver's own set-up is not fixed by sending again),
          // but a notification it passed on nowhere is recorded and counted, never silent.
          const lost = notPassedOn((await res.text()).slice(0, 64_000));
          if (lost !== null) {
            undelivered = `${entry.receiver} took the notification but passed it on nowhere (${lost})`;
            this.options.onNotPassedOn?.(entry, lost);
          }
        }
      } catch (err) {
        const e = err as Error & { cause?: { code?: string } };
        error = e.name === 'TimeoutError' ? 'timed out' : (e.cause?.code ?? e.message);
      }
      await this.options.status?.attempted(entry.receiver, now(), error ?? undelivered);
      if (error === null) {
        await repository.delivered(entry.id, now());
        report.delivered++;
      } else {
        const attempts = entry.attempts + 1;
        await repository.failed(
          entry.id,
          attempts,
          now() + backoffDelay(attempts, this.options.backoff),
          error,
        );
        report.failed++;
      }
    }
    return report;
  }
}
