import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { setupTracing, type Tracing } from '../tracing/setup-tracing.js';

export interface TestTracing {
  tracing: Tracing;
  /** Every span finished so far (exported at once, not batched). */
  spans(): ReadableSpan[];
  reset(): void;
  shutdown(): Promise<void>;
}

/**
 * The OpenTelemetry SDK for an in-process test, as `--import @opsmesh/shared/register` sets it
 * up for a service process: spans are kept in memory, and with `env` naming a collector
 * (`OTEL_EXPORTER_OTLP_ENDPOINT`) also exported there span by span. Shut it down after the file.
 *
 * @example
 * const t = startTestTracing(); ... expect(t.spans().map((s) => s.name)).toContain('GET /models');
 * await t.shutdown();
 */
export function startTestTracing(env: NodeJS.ProcessEnv = {}, serviceName = 'test'): TestTracing {
  const memory = new InMemorySpanExporter();
  const tracing = setupTracing({ serviceName, env, exporters: [memory], simple: true });
  return {
    tracing,
    spans: () => memory.getFinishedSpans(),
    reset: () => memory.reset(),
    shutdown: () => tracing.shutdown(),
  };
}
