/** One request of the load: what it was, when it started and ended, and how it went. */
export interface LoadSample {
  kind: string;
  /** A method the gateway may send twice (GET): a failure of one is a failure of the platform. */
  idempotent: boolean;
  gateway: string;
  start: number;
  end: number;
  status: number;
  /** The network error, or the problem's code, when it failed. */
  error: string | null;
}

export interface LoadRequest {
  kind: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A 5xx, or no answer at all, is a failed request; a 4xx is the platform answering. */
export const failed = (s: LoadSample) => s.status === 0 || s.status >= 500;

/**
 * A steady load through several gateways: `workers` loops, each sending the next request of
 * `mix` (round robin) to the next gateway, pausing `pauseMs` between requests so a loaded
 * machine is not saturated by the client itself. Every answer is recorded.
 *
 * @example
 * const load = startMixedLoad({ gateways, workers: 3, pauseMs: 80, mix: (i) => requests[i % 4] });
 * await load.stop(); load.samples.filter(failed)
 */
export function startMixedLoad(options: {
  gateways: string[];
  workers: number;
  pauseMs: number;
  token: () => string;
  mix: (n: number) => LoadRequest;
}): { samples: LoadSample[]; stop(): Promise<void> } {
  const samples: LoadSample[] = [];
  let running = true;
  let n = 0;
  const worker = async () => {
    while (running) {
      const i = n++;
      const req = options.mix(i);
      const gateway = options.gateways[i % options.gateways.length]!;
      const start = Date.now();
      let status = 0;
      let error: string | null = null;
      try {
        const res = await fetch(gateway + req.path, {
          method: req.method,
          headers: {
            authorization: `Bearer ${options.token()}`,
            ...(req.body === undefined ? {} : { 'content-type': 'application/json' }),
            ...req.headers,
          },
          body: req.body === undefined ? undefined : JSON.stringify(req.body),
          signal: AbortSignal.timeout(30_000),
        });
        status = res.status;
        const text = await res.text();
        if (status >= 400) {
          try {
            error = (JSON.parse(text) as { code?: string }).code ?? text.slice(0, 120);
          } catch {
            error = text.slice(0, 120);
          }
        }
      } catch (err) {
        const e = err as Error & { cause?: { code?: string } };
        error = e.cause?.code ?? e.name;
      }
      samples.push({
        kind: req.kind,
        idempotent: req.method === 'GET',
        gateway,
        start,
        end: Date.now(),
        status,
        error,
      });
      await new Promise((r) => setTimeout(r, options.pauseMs));
    }
  };
  const loops = Array.from({ length: options.workers }, worker);
  return {
    samples,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}
