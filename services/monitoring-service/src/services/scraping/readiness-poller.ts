import type { Discovery } from '@opsmesh/shared';
import { discoverTargets } from './scraper.js';

export interface ReadinessStatus {
  service: string;
  url: string;
  ready: boolean | null;
  lastError: string | null;
  checkedAt: number | null;
  /** Share of successful polls within the window; null before the first poll. */
  availability: number | null;
}

interface History {
  service: string;
  times: number[];
  oks: boolean[];
  lastError: string | null;
}

/**
 * Polls `/health/ready` of every instance and remembers the answers of the last window, for
 * the service view: instances, readiness, last error and availability over the window.
 */
export class ReadinessPoller {
  private readonly history = new Map<string, History>();
  private readonly fetch: typeof fetch;

  constructor(
    private readonly options: {
      discovery: Discovery;
      timeoutMs: number;
      windowMs: number;
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
    try {
      const res = await this.fetch(`${url}/health/ready`, {
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      ok = res.ok;
      if (!ok) {
        const text = await res.text().catch(() => '');
        error = `HTTP ${res.status}${text ? `: ${text.slice(0, 300)}` : ''}`;
      } else await res.body?.cancel();
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      error =
        e.name === 'TimeoutError'
          ? `timed out after ${this.options.timeoutMs} ms`
          : (e.cause?.code ?? e.message);
    }
    let h = this.history.get(url);
    if (!h) {
      h = { service, times: [], oks: [], lastError: null };
      this.history.set(url, h);
    }
    h.times.push(at);
    h.oks.push(ok);
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
        ready: h.oks.length > 0 ? h.oks[h.oks.length - 1]! : null,
        lastError: h.lastError,
        checkedAt: h.times.length > 0 ? h.times[h.times.length - 1]! : null,
        availability: n > 0 ? good / n : null,
      });
    }
    return out;
  }
}
