import type { Attributes } from '@opentelemetry/api';
import { Pool } from 'undici';

/** One instance's keep-alive connection pool, the Host its requests carry and its base path. */
export interface UpstreamClient {
  pool: Pool;
  host: string;
  /** A path the instance's address carries (`http://10.0.0.5:8082/ml`), prefixed to every request; usually ''. */
  basePath: string;
  /** The instance's address and port as a sampled exchange's span gives them, made once per instance. */
  spanAttributes: Attributes;
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/**
 * Keep-alive connection pools, one per upstream instance address, made on first use and kept
 * across config reloads. Pipelining stays off so one slow answer never holds up the requests
 * queued behind it.
 */
export class UpstreamClients {
  #clients = new Map<string, UpstreamClient>();
  constructor(private readonly options: { connectTimeoutMs: number; connections?: number }) {}

  get(url: string): UpstreamClient {
    let client = this.#clients.get(url);
    if (!client) {
      const parsed = new URL(url);
      client = {
        pool: new Pool(parsed.origin, {
          connections: this.options.connections ?? 128,
          pipelining: 1,
          keepAliveTimeout: 30_000,
          connect: { timeout: this.options.connectTimeoutMs },
        }),
        host: parsed.host,
        basePath: parsed.pathname === '/' ? '' : parsed.pathname.replace(/\/+$/, ''),
        spanAttributes: Object.freeze({
          'opsmesh.upstream.address': parsed.hostname.replace(/^\[(.*)\]$/, '$1'), // IPv6 without brackets
          'opsmesh.upstream.port': parsed.port ? Number(parsed.port) : (DEFAULT_PORTS[parsed.protocol] ?? 80),
        }),
      };
      this.#clients.set(url, client);
    }
    return client;
  }

  /** Closes the pools of addresses no longer in `keep` (an instance left discovery). */
  retain(keep: ReadonlySet<string>): void {
    for (const [url, client] of this.#clients) {
      if (keep.has(url)) continue;
      this.#clients.delete(url);
      void client.pool.close().catch(() => {});
    }
  }

  /** Closes every pool once the requests still in flight have their answers (shutdown drains). */
  async close(): Promise<void> {
    const pools = [...this.#clients.values()].map((c) => c.pool.close());
    this.#clients.clear();
    await Promise.allSettled(pools);
  }
}
