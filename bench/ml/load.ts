import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';

/** The slice of autocannon's API the ML bench uses (the package ships no types). */
interface AutocannonResult {
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  pipelining?: number;
}) => EventEmitter & PromiseLike<AutocannonResult>;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface LoadResult {
  perSecond: number;
  total: number;
  failed: number;
  /** Latency percentiles of the 2xx answers, in ms (sub-millisecond: autocannon's own histogram keeps whole ms). */
  p50: number;
  p99: number;
}

/** Fixed-duration load with `connections` concurrent keep-alive clients, one request in flight each. */
export async function load(opts: {
  url: string;
  connections: number;
  seconds: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | Buffer;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  const run = autocannon({
    url: opts.url,
    connections: opts.connections,
    duration: opts.seconds,
    method: opts.method ?? 'GET',
    ...(opts.headers ? { headers: opts.headers } : {}),
    ...(opts.body ? { body: opts.body } : {}),
    pipelining: 1,
  });
  run.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const r = await run;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: r.requests.total / opts.seconds,
    total: r.requests.total,
    failed: r.non2xx + r.errors + r.timeouts,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}
