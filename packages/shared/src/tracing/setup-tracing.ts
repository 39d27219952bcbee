import { context, diag, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { type Instrumentation, registerInstrumentations } from '@opentelemetry/instrumentation';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { randomHex } from '../ids/random-pool.js';
import { type TraceDestination, traceDestinations } from './trace-export-config.js';

export interface TracingOptions {
  /** `service.name`; `OTEL_SERVICE_NAME` wins when set, as the specification says. */
  serviceName: string;
  serviceVersion?: string;
  /** Read for the `OTEL_*` and `OPSMESH_TRACE_*` settings; `process.env` by default. */
  env?: NodeJS.ProcessEnv;
  /** Exporters besides those the environment names (tests pass an in-memory one). */
  exporters?: SpanExporter[];
  /** Export each span at once instead of in batches (tests). */
  simple?: boolean;
  instrumentations?: Instrumentation[];
}

export interface Tracing {
  readonly serviceName: string;
  readonly destinations: TraceDestination[];
  provider: NodeTracerProvider;
  forceFlush(): Promise<void>;
  /** Flushes, stops exporting and gives the global API back its no-op parts. */
  shutdown(): Promise<void>;
}

function exporterFor(d: TraceDestination): SpanExporter {
  const config = { url: d.url, timeoutMillis: 5000 };
  return d.protocol === 'http/json' ? new OtlpJsonExporter(config) : new OtlpProtoExporter(config);
}

/**
 * Starts the OpenTelemetry SDK for this process and registers it globally: an
 * AsyncLocalStorage context manager (the active span follows every await), the W3C trace
 * context and baggage propagators, the sampler from `OTEL_TRACES_SAMPLER` /
 * `OTEL_TRACES_SAMPLER_ARG` (parent-based, always on by default), batched OTLP/HTTP export to
 * each destination `traceDestinations` reads, and the given instrumentations.
 *
 * @example
 * const tracing = setupTracing({ serviceName: 'auth-service' });
 * process.on('SIGTERM', () => void tracing.shutdown());
 */
export function setupTracing(options: TracingOptions): Tracing {
  const env = options.env ?? process.env;
  const serviceName = env['OTEL_SERVICE_NAME'] || options.serviceName;
  const destinations = traceDestinations(env);
  const exporters = [...destinations.map(exporterFor), ...(options.exporters ?? [])];
  const spanProcessors: SpanProcessor[] = exporters.map((e) =>
    options.simple ? new SimpleSpanProcessor(e) : new BatchSpanProcessor(e),
  );
  const resource = detectResources({ detectors: [envDetector] }).merge(
    resourceFromAttributes({
      [ATTR_SERVICE_NAME]: serviceName,
      ...(options.serviceVersion ? { [ATTR_SERVICE_VERSION]: options.serviceVersion } : {}),
      'service.instance.id': `${serviceName}-${process.pid}-${randomHex(4)}`,
    }),
  );
  const provider = new NodeTracerProvider({ resource, spanProcessors });
  // The default registration: AsyncLocalStorage context manager, W3C traceparent + baggage.
  provider.register();
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: options.instrumentations ?? [],
  });
  return {
    serviceName,
    destinations,
    provider,
    forceFlush: () => provider.forceFlush(),
    async shutdown() {
      unregister();
      await provider.shutdown().catch(() => {});
      trace.disable();
      context.disable();
      propagation.disable();
      diag.disable();
    },
  };
}
