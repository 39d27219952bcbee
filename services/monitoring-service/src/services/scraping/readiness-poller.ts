import type { CircuitStatus, Discovery } from '@opsmesh/shared';
import { discoverTargets } from './scraper.js';

export interface ReadinessStatus {
  service: string;
  url: string;
  ready: boolean | null;
  lastError: string | null;
  checkedAt: number | null;
  /** Share of successful polls within the window; null before the first poll. */
  availability: number | null;
  /** The circuit breakers the instance's last readiness answer listed. */
  circuits: CircuitStatus[];
}

interface History {
  service: string;
  /** The polls that count toward availability, oldest first. */
  times: number[];
  oks: boolean[];
  /** The last poll, counted or not. */
  lastOk: boolean | null;
  lastAt: number | null;
  firstSeenAt: number;
  everReady: boolean;
  lastError: string | null;
  circuits: CircuitStatus[];
}

/** The `circuits` member of a readiness body, kept only if it has the expected shape. */
function circuitsOf(body: unknown): CircuitStatus[] | null {
  const list = (body as { circuits?: unknown } | null)?.circuits;
  if (!Array.isArray(list)) return null;
  return list
    .filter(
      (c): c is CircuitStatus =>
        typeof c === 'object' &&
        c !== null &&
        typeof c.target === 'string' &&
        typeof c.instance === 'string' &&
        ['closed', 'half-open', 'open'].includes(c.state) &&
        typeof c.since === 'string',
    )
    .slice(0, 64);
}

/**
 * Polls `/health/ready` of every instance and remembers the answers of the last window, for
 * the service view: instances, readiness, last error and availability over the window.
 *
 * An instance's failed answers before its first ready one, while its start-up grace (`graceMs`
 * from when this poller first saw it) runs, are its start, not an outage: they are shown (ready
 * false, the error) but not counted, as the scraper records no `up` sample for them. Counted, a
 * plain `npm start` showed the services started after monitoring at 67-90% availability for the
 * next hour. Once the instance has been ready, or its grace has passed, every failure counts.
 */
export class ReadinessPoller {
  private readonly history = new Map<string, History>();
  private readonly fetch: typeof fetch;

  constructor(
    private readonly options: {
      discovery: Discovery;
      timeoutMs: number;
      windowMs: number;
      /** Start-up grace (STARTUP_GRACE); 0 counts every failure from the first poll. */
      graceMs: number;
      now: () => number;
      fetch?: typeof fetch;
    },
  ) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async pollAll(): Promise<void> {
    const targets = await discoverTargets(this.options.discovery);
    const live = new Set(targets.map((t) => t.url));
    for (const url of [...this.history.keys()]) if (!live.has(url)) this.history.delete(url);
    await Promise.all(targets.map((t) => this.poll(t.service, t.url)));
  }

  private async poll(service: string, url: string): Promise<void> {
    const at = this.options.now();
    let ok = false;
    let error: string | null = null;
    let circuits: CircuitStatus[] | null = null;
    try {
      const res = await this.fetch(`${url}/health/ready`, {
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      ok = res.ok;
      const text = await res.text().catch(() => '');
      if (!ok) error = `HTTP ${res.status}${text ? `: ${text.slice(0, 300)}` : ''}`;
      try {
        circuits = circuitsOf(JSON.parse(text));
      } catch {
        // not JSON: an instance of something else, with no circuits to show
      }
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      error =
        e.name === 'TimeoutError'
          ? `timed out after ${this.options.timeoutMs} ms`
          : (e.cause?.code ?? e.message);
    }
    let h = this.history.get(url);
    if (!h) {
      h = {
        service,
        times: [],
        oks: [],
        lastOk: null,
        lastAt: null,
        firstSeenAt: at,
        everReady: false,
        lastError: null,
        circuits: [],
      };
      this.history.set(url, h);
    }
    if (circuits) h.circuits = circuits;
    h.lastOk = ok;
    h.lastAt = at;
    if (ok) h.everReady = true;
    const starting = !h.everReady && at < h.firstSeenAt + this.options.graceMs;
    if (!starting) {
      h.times.push(at);
      h.oks.push(ok);
    }
    if (error !== null) h.lastError = error;
    const floor = at - this.options.windowMs;
    while (h.times.length > 0 && h.times[0]! < floor) {
      h.times.shift();
      h.oks.shift();
    }
  }

  status(): ReadinessStatus[] {
    const out: ReadinessStatus[] = [];
    const floor = this.options.now() - this.options.windowMs;
    for (const [url, h] of this.history) {
      let n = 0;
      let good = 0;
      for (let i = 0; i < h.times.length; i++) {
        if (h.times[i]! < floor) continue;
        n++;
        if (h.oks[i]) good++;
      }
      out.push({
        service: h.service,
        url,
        ready: h.lastOk,
        lastError: h.lastError,
        checkedAt: h.lastAt,
        availability: n > 0 ? good / n : null,
        circuits: h.circuits,
      });
    }
    return out;
  }
}
