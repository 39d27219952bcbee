import type { NotificationRepository } from '../../models/notification-repository.js';

export interface Backoff {
  baseMs: number;
  maxMs: number;
}

/** Delay before attempt `attempts + 1`: doubling from baseMs, capped at maxMs. */
export function backoffDelay(attempts: number, backoff: Backoff): number {
  return Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempts - 1));
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
        await res.body?.cancel();
        if (!res.ok) error = `HTTP ${res.status}`;
      } catch (err) {
        const e = err as Error & { cause?: { code?: string } };
        error = e.name === 'TimeoutError' ? 'timed out' : (e.cause?.code ?? e.message);
      }
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
