import { trace } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { DnsInstrumentation } from '@opentelemetry/instrumentation-dns';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';

/** Whether undici's request already carries a trace context (the kit's client and the gateway set their own). */
function carriesTraceparent(headers: unknown): boolean {
  if (typeof headers === 'string') return headers.toLowerCase().includes('traceparent:');
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2) {
      const name = headers[i];
      if (typeof name === 'string' && name.toLowerCase() === 'traceparent') return true;
    }
  }
  return false;
}

/**
 * The official instrumentations every service runs with: fetch and undici (client spans and
 * propagation for calls not made through the kit's client, e.g. Slack, Prometheus, etcd), pg,
 * ioredis and DNS lookups. Calls that already carry a `traceparent` made their own client span
 * (the kit's client, the gateway's proxy) and are left alone, so no call is counted twice and
 * none gets a second `traceparent`. `uses` leaves out pg or ioredis for a process that never
 * loads it.
 *
 * @example
 * setupTracing({ serviceName: 'ml-service', instrumentations: tracingInstrumentations() });
 */
export function tracingInstrumentations(uses: { pg?: boolean; ioredis?: boolean } = {}): Instrumentation[] {
  return [
    new UndiciInstrumentation({
      ignoreRequestHook: (request) => carriesTraceparent(request.headers),
      // A fetch outside any trace (a keep-alive, a key refresh) is not worth a trace of its own.
      requireParentforSpans: true,
    }),
    ...(uses.pg === false
      ? []
      : [new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false })]),
    ...(uses.ioredis === false ? [] : [new IORedisInstrumentation({ requireParentSpan: true })]),
    // A lookup outside any trace (a pool reconnecting on a timer) would be a trace of its own.
    new DnsInstrumentation({ ignoreHostnames: [() => trace.getActiveSpan() === undefined] }),
  ];
}
