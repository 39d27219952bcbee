/** A finished span, in the terms of the OpenTelemetry data model. */
export interface FinishedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string | undefined;
  name: string;
  /** OTLP SpanKind: 2 server, 3 client. */
  kind: 2 | 3;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, string | number | boolean>;
  error: boolean;
}

export interface SpanExporter {
  export(span: FinishedSpan): void;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** Nothing configured: spans are dropped at no cost. */
export const noopExporter: SpanExporter = {
  export() {},
  flush: async () => {},
  shutdown: async () => {},
};

function attribute(key: string, value: string | number | boolean) {
  if (typeof value === 'boolean') return { key, value: { boolValue: value } };
  if (typeof value === 'number' && Number.isInteger(value))
    return { key, value: { intValue: String(value) } };
  if (typeof value === 'number') return { key, value: { doubleValue: value } };
  return { key, value: { stringValue: value } };
}

/** Encodes spans as an OTLP/HTTP JSON `ExportTraceServiceRequest`. */
export function encodeOtlp(service: string, spans: FinishedSpan[]) {
  return {
    resourceSpans: [
      {
        resource: { attributes: [attribute('service.name', service)] },
        scopeSpans: [
          {
            scope: { name: '@opsmesh/shared', version: '0.1.0' },
            spans: spans.map((s) => ({
              traceId: s.traceId,
              spanId: s.spanId,
              ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
              name: s.name,
              kind: s.kind,
              startTimeUnixNano: String(s.startNs),
              endTimeUnixNano: String(s.endNs),
              attributes: Object.entries(s.attributes).map(([k, v]) => attribute(k, v)),
              status: { code: s.error ? 2 : 1 },
            })),
          },
        ],
      },
    ],
  };
}

/**
 * Batches spans and posts them over OTLP/HTTP (JSON) to `<endpoint>/v1/traces`, every
 * `intervalMs` or when `maxBatch` are waiting. The queue is bounded: past `maxQueue` spans are
 * dropped and counted, so a dead collector never grows memory; export failures are never thrown.
 *
 * @example
 * const exporter = createOtlpExporter({ endpoint: 'http://127.0.0.1:4318', service: 'auth-service' });
 */
export function createOtlpExporter(options: {
  endpoint: string;
  service: string;
  intervalMs?: number;
  maxBatch?: number;
  maxQueue?: number;
  fetch?: typeof fetch;
  onError?: (err: unknown) => void;
}): SpanExporter & { readonly dropped: number } {
  const url = options.endpoint.endsWith('/v1/traces')
    ? options.endpoint
    : `${options.endpoint.replace(/\/+$/, '')}/v1/traces`;
  const doFetch = options.fetch ?? fetch;
  const maxBatch = options.maxBatch ?? 512;
  const maxQueue = options.maxQueue ?? 4096;
  let queue: FinishedSpan[] = [];
  let dropped = 0;
  let sending: Promise<void> = Promise.resolve();

  async function send(batch: FinishedSpan[]): Promise<void> {
    try {
      const res = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(encodeOtlp(options.service, batch)),
        signal: AbortSignal.timeout(5000),
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`OTLP collector at ${url} answered ${res.status}`);
    } catch (err) {
      options.onError?.(err);
    }
  }

  function flush(): Promise<void> {
    if (queue.length === 0) return sending;
    const batch = queue;
    queue = [];
    sending = sending.then(() => send(batch));
    return sending;
  }

  const timer = setInterval(() => void flush(), options.intervalMs ?? 2000);
  timer.unref();

  return {
    get dropped() {
      return dropped;
    },
    export(span) {
      if (queue.length >= maxQueue) {
        dropped++;
        return;
      }
      queue.push(span);
      if (queue.length >= maxBatch) void flush();
    },
    flush,
    async shutdown() {
      clearInterval(timer);
      await flush();
    },
  };
}
