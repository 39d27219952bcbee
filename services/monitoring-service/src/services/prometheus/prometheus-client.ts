/** The parts of Prometheus' HTTP API the monitoring service uses. */
export interface PromResponse {
  status: 'success' | 'error';
  data?: { resultType: string; result: unknown };
  errorType?: string;
  error?: string;
  warnings?: string[];
}

export class PrometheusError extends Error {
  constructor(
    message: string,
    /** 4xx from Prometheus means a bad query; anything else, Prometheus is unavailable. */
    readonly badQuery: boolean,
    readonly response?: PromResponse,
  ) {
    super(message);
    this.name = 'PrometheusError';
  }
}

export interface VectorResult {
  metric: Record<string, string>;
  value: [number, string];
}

export interface MatrixResult {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

export class PrometheusClient {
  private readonly fetch: typeof fetch;

  constructor(private readonly options: { url: string; timeoutMs: number; fetch?: typeof fetch }) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** Raw `/api/v1/<path>` call; the parsed body is returned as Prometheus wrote it. */
  async api(
    path: 'query' | 'query_range',
    params: Record<string, string>,
  ): Promise<{ status: number; body: PromResponse }> {
    const url = new URL(`${this.options.url.replace(/\/+$/, '')}/api/v1/${path}`);
    let res: Response;
    try {
      res = await this.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (err) {
      throw new PrometheusError(`Prometheus is unreachable: ${(err as Error).message}`, false);
    }
    let body: PromResponse;
    try {
      body = (await res.json()) as PromResponse;
    } catch {
      throw new PrometheusError(`Prometheus answered HTTP ${res.status} without JSON`, false);
    }
    return { status: res.status, body };
  }

  async instant(query: string, atMs: number): Promise<VectorResult[]> {
    const { status, body } = await this.api('query', { query, time: String(atMs / 1000) });
    if (body.status !== 'success') {
      throw new PrometheusError(
        `${body.errorType ?? 'error'}: ${body.error ?? 'unknown'}`,
        status >= 400 && status < 500,
        body,
      );
    }
    if (body.data?.resultType === 'scalar') {
      const [t, v] = body.data.result as [number, string];
      return [{ metric: {}, value: [t, v] }];
    }
    return (body.data?.result ?? []) as VectorResult[];
  }

  async range(query: string, startMs: number, endMs: number, stepMs: number): Promise<MatrixResult[]> {
    const { status, body } = await this.api('query_range', {
      query,
      start: String(startMs / 1000),
      end: String(endMs / 1000),
      step: String(stepMs / 1000),
    });
    if (body.status !== 'success') {
      throw new PrometheusError(
        `${body.errorType ?? 'error'}: ${body.error ?? 'unknown'}`,
        status >= 400 && status < 500,
        body,
      );
    }
    return (body.data?.result ?? []) as MatrixResult[];
  }
}

/** Prometheus sample values are strings ("NaN", "+Inf" included). */
export function promValue(text: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}
