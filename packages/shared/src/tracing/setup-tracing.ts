import { context, diag, propagation, trace } from '@opentelemetry/api';
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
import { urlForDisplay } from '../logging/redact.js';
import { OtlpJsonExporter, OtlpProtoExporter, type OtlpTransportKind } from './otlp-proto-exporter.js';
import { spanLimitsFromEnv } from './recorded-span.js';
import { kitIdGenerator, mirrorSampling, samplingRuleFromEnv } from './sampling-mirror.js';
import { StartupHoldExporter } from './startup-hold-exporter.js';
import { SyncContextManager } from './sync-context-manager.js';
import {
  type TraceContextMode,
  type TraceDestination,
  traceContextMode,
  traceDestinations,
} from './trace-export-config.js';

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
  /** How the active context follows the work, unless `OPSMESH_TRACE_CONTEXT` says; `async` by default. */
  context?: TraceContextMode;
  /** How spans are sent: the SDK's `node:http` transport by default, or undici (the gateway's). */
  transport?: OtlpTransportKind;
}

export interface Tracing {
  readonly serviceName: string;
  readonly destinations: TraceDestination[];
  readonly context: TraceContextMode;
  provider: NodeTracerProvider;
  forceFlush(): Promise<void>;
  /** Flushes, stops exporting and gives the global API back its no-op parts. */
  shutdown(): Promise<void>;
}

/**
 * How long after start a destination that has never answered is taken for one still starting:
 * `npm start` starts the services one after another, each within the supervisor's start-up wait.
 */
const STARTUP_HOLD_MS = 120_000;
/** The spans held meanwhile: the batch processor's own queue size. */
const STARTUP_HOLD_SPANS = 2048;

function exporterFor(d: TraceDestination, transport: OtlpTransportKind | undefined): SpanExporter {
  const config = { url: d.url, timeoutMillis: 5000, ...(transport ? { transport } : {}) };
  const otlp = d.protocol === 'http/json' ? new OtlpJsonExporter(config) : new OtlpProtoExporter(config);
  return new StartupHoldExporter(otlp, {
    destination: `${d.kind === 'store' ? 'the trace store' : 'the collector'} at ${urlForDisplay(d.url)}`,
    holdMs: STARTUP_HOLD_MS,
    maxSpans: STARTUP_HOLD_SPANS,
  });
}

/**
 * Starts the OpenTelemetry SDK for this process and registers it globally: an
 * AsyncLocalStorage context manager (the active span follows every await; with the `explicit`
 * context mode one that keeps it for a synchronous `context.with` only), the W3C trace
 * context and baggage propagators, the sampler from `OTEL_TRACES_SAMPLER` /
 * `OTEL_TRACES_SAMPLER_ARG` (parent-based, always on by default), batched OTLP/HTTP export to
 * each destination `traceDestinations` reads (held while one that never answered may still be
 * starting: `StartupHoldExporter`), and the given instrumentations.
 *
 * @example
 * const tracing = setupTracing({ serviceName: 'auth-service' });
 * process.on('SIGTERM', () => void tracing.shutdown());
 */
export function setupTracing(options: TracingOptions): Tracing {
  const env = options.env ?? process.env;
  const serviceName = env['OTEL_SERVICE_NAME'] || options.serviceName;
  const destinations = traceDestinations(env);
  const contextMode = traceContextMode(env, options.context);
  const exporters = [
    ...destinations.map((d) => exporterFor(d, options.transport)),
    ...(options.exporters ?? []),
  ];
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
  // No sampler given: the SDK builds it from process.env, and the kit mirrors that rule so a
  // request it will not sample can skip the SDK (`chooseTrace`).
  const provider = new NodeTracerProvider({ resource, spanProcessors, idGenerator: kitIdGenerator });
  // Spans the kit records itself (`RecordedSpan`) go to the same processors, under the same limits.
  mirrorSampling(provider, samplingRuleFromEnv(process.env), {
    resource,
    processors: spanProcessors,
    ...spanLimitsFromEnv(process.env),
  });
  // The default registration: AsyncLocalStorage context manager, W3C traceparent + baggage.
  provider.register(contextMode === 'explicit' ? { contextManager: new SyncContextManager() } : {});
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: options.instrumentations ?? [],
  });
  return {
    serviceName,
    destinations,
    context: contextMode,
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

/**
 * One line for an error the SDK reports (a failed export among them): the message, without the
 * stack the SDK's default handler logs.
 *
 * @example
 * sdkErrorMessage(new Error('connect ECONNREFUSED 127.0.0.1:8083')) // 'connect ECONNREFUSED 127.0.0.1:8083'
 */
export function sdkErrorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === 'string' ? error : JSON.stringify(error);
}
