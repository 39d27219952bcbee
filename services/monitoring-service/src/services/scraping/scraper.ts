import type { Discovery } from '@opsmesh/shared';
import { ingestExposition } from '../metrics/ingest.js';
import type { SampleStore } from '../metrics/sample-store.js';

export interface ScrapeTarget {
  service: string;
  /** Base URL of the instance, e.g. http://127.0.0.1:8081. */
  url: string;
  /** host:port, the `instance` label. */
  instance: string;
}

export interface TargetStatus extends ScrapeTarget {
  up: boolean | null;
  lastScrapeAt: number | null;
  /** When a scrape last succeeded: where a stopped instance's data ends. */
  lastUpAt: number | null;
  durationSeconds: number | null;
  samples: number | null;
  lastError: string | null;
}

export interface ScraperOptions {
  discovery: Discovery;
  store: SampleStore;
  timeoutMs: number;
  /** Bodies larger than this fail the scrape instead of filling memory. */
  maxBodyBytes: number;
  now: () => number;
  fetch?: typeof fetch;
  /**
   * Which targets are still starting (see StartGate.startingAt), by URL, read once per
   * `scrapeAll`: a failed scrape of one records no samples, as a target not discovered yet has
   * none. None when not given.
   */
  starting?: () => Promise<(url: string, firstScrape: boolean) => boolean>;
}

/** Every instance of every service known to discovery. */
export async function discoverTargets(discovery: Discovery): Promise<ScrapeTarget[]> {
  const services = await discovery.services();
  const out: ScrapeTarget[] = [];
  for (const [service, urls] of Object.entries(services)) {
    for (const url of urls) out.push({ service, url, instance: new URL(url).host });
  }
  return out;
}

/**
 * Scrapes `/metrics` of every instance from discovery into the sample store, adding for each
 * target `up` (1 or 0) and `scrape_duration_seconds`, as Prometheus does. A target that fails
 * (refused, timeout, non-2xx, malformed text) gets up=0 and its error is kept for the service view;
 * one still starting (`starting`) keeps its error but gets no samples: under `npm start` the
 * services started after monitoring were otherwise shown at 87-94% availability, in red, for the
 * first five minutes of every start. Once it has answered, or its start-up grace has passed,
 * every failure counts.
 */
export class Scraper {
  private readonly statuses = new Map<string, TargetStatus>();
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ScraperOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  status(): TargetStatus[] {
    return [...this.statuses.values()];
  }

  async scrapeAll(): Promise<void> {
    const targets = await discoverTargets(this.options.discovery);
    const live = new Set(targets.map((t) => t.url));
    for (const url of [...this.statuses.keys()]) {
      if (!live.has(url)) {
        this.statuses.delete(url);
        this.options.store.dropGroup(url);
      }
    }
    const starting = (await this.options.starting?.()) ?? (() => false);
    await Promise.all(targets.map((t) => this.scrape(t, starting(t.url, !this.statuses.has(t.url)))));
  }

  async scrape(target: ScrapeTarget, starting = false): Promise<TargetStatus> {
    const started = this.options.now();
    const t0 = performance.now();
    let body = '';
    let error: string | null = null;
    try {
      const res = await this.fetch(`${target.url}/metrics`, {
        headers: { accept: 'text/plain;version=0.0.4' },
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      if (!res.ok) {
        await res.body?.cancel();
        throw new Error(`HTTP ${res.status} from /metrics`);
      }
      const length = Number(res.headers.get('content-length') ?? 0);
      if (length > this.options.maxBodyBytes) {
        await res.body?.cancel();
        throw new Error(`body of ${length} bytes exceeds the ${this.options.maxBodyBytes}-byte limit`);
      }
      body = await res.text();
      if (body.length > this.options.maxBodyBytes) throw new Error('body exceeds the size limit');
    } catch (err) {
      error = describe(err, this.options.timeoutMs);
    }
    const labels = { service: target.service, instance: target.instance };
    let samples: number | null = null;
    const duration = () => (performance.now() - t0) / 1000;
    if (error === null) {
      try {
        samples = ingestExposition(this.options.store, target.url, labels, body, started, [
          ['up', 1],
          ['scrape_duration_seconds', duration()],
        ]).samples;
      } catch (err) {
        error = `malformed exposition: ${(err as Error).message}`;
        // The partial scrape is overwritten by a failed one at the next timestamp.
      }
    }
    if (error !== null && !starting) {
      ingestExposition(this.options.store, target.url, labels, '', Math.max(started, this.options.now()), [
        ['up', 0],
        ['scrape_duration_seconds', duration()],
      ]);
    }
    const status: TargetStatus = {
      ...target,
      up: error === null,
      lastScrapeAt: started,
      lastUpAt: error === null ? started : (this.statuses.get(target.url)?.lastUpAt ?? null),
      durationSeconds: duration(),
      samples,
      lastError: error,
    };
    this.statuses.set(target.url, status);
    return status;
  }
}

function describe(err: unknown, timeoutMs: number): string {
  const e = err as Error & { cause?: { code?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  if (e.cause?.code) return `${e.cause.code}: ${e.message}`;
  return e.message;
}
