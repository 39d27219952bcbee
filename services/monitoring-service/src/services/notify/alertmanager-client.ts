import type { Alert } from '../alerting/alert-state.js';

/**
 * Posts alerts to a real Alertmanager the way Prometheus does: every evaluation re-sends the
 * active ones with an endsAt a few intervals ahead (so Alertmanager resolves them by itself if
 * we stop), and resolved ones with their real end.
 */
export class AlertmanagerClient {
  private readonly fetch: typeof fetch;

  constructor(
    private readonly options: {
      url: string;
      timeoutMs: number;
      /** How long a re-sent firing alert stays valid without being refreshed. */
      resendValidityMs: number;
      externalUrl: string;
      fetch?: typeof fetch;
    },
  ) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** Posts the active and resolved alerts; false when there was nothing to post. */
  async post(alerts: readonly Alert[], now: number): Promise<boolean> {
    const body = alerts
      .filter((a) => a.state !== 'pending')
      .map((a) => ({
        labels: a.labels,
        annotations: a.annotations,
        startsAt: new Date(a.firedAt ?? a.activeAt).toISOString(),
        endsAt: new Date(
          a.state === 'resolved' && a.resolvedAt !== null
            ? a.resolvedAt
            : now + this.options.resendValidityMs,
        ).toISOString(),
        generatorURL: `${this.options.externalUrl}/alerts?fingerprint=${a.fingerprint}`,
      }));
    if (body.length === 0) return false;
    const res = await this.fetch(`${this.options.url.replace(/\/+$/, '')}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`Alertmanager answered HTTP ${res.status}: ${text.slice(0, 300)}`);
    return true;
  }
}
