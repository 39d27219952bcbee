/** Where a service's finished spans go. */
export interface TraceDestination {
  /** `collector`: `OTEL_EXPORTER_OTLP_*`; `store`: the monitoring service's built-in trace store. */
  kind: 'collector' | 'store';
  /** The full `/v1/traces` URL. */
  url: string;
  protocol: 'http/protobuf' | 'http/json';
}

const MODES = ['auto', 'both', 'collector', 'store', 'none'] as const;
export type TraceExportMode = (typeof MODES)[number];

function tracesUrl(base: string): string {
  const trimmed = base.replace(/\/+$/, '');
  return trimmed.endsWith('/v1/traces') ? trimmed : `${trimmed}/v1/traces`;
}

function protocolOf(value: string | undefined, variable: string): TraceDestination['protocol'] {
  if (value === undefined || value === '' || value === 'http/protobuf') return 'http/protobuf';
  if (value === 'http/json') return 'http/json';
  throw new Error(`${variable}=${value} is not supported; use http/protobuf or http/json`);
}

/**
 * Reads where spans are exported from the standard `OTEL_*` variables and the platform's own
 * two: `OPSMESH_TRACE_STORE_URL` (the monitoring service, which keeps recent traces; `npm start`
 * sets it) and `OPSMESH_TRACE_EXPORT`: `auto` (the default: the collector when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` is set, else the store), `both`, `collector`, `store` or `none`.
 * `OTEL_TRACES_EXPORTER=none` turns export off as the specification says. Throws naming the
 * variable to fix.
 *
 * @example
 * traceDestinations({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318' })
 * // [{ kind: 'collector', url: 'http://otel:4318/v1/traces', protocol: 'http/protobuf' }]
 */
export function traceDestinations(env: NodeJS.ProcessEnv): TraceDestination[] {
  const mode = (env['OPSMESH_TRACE_EXPORT'] || 'auto') as TraceExportMode;
  if (!MODES.includes(mode)) {
    throw new Error(`OPSMESH_TRACE_EXPORT=${mode} is not one of ${MODES.join(', ')}`);
  }
  if (mode === 'none' || env['OTEL_TRACES_EXPORTER'] === 'none') return [];
  const exporter = env['OTEL_TRACES_EXPORTER'];
  if (exporter && exporter !== 'otlp') {
    throw new Error(`OTEL_TRACES_EXPORTER=${exporter} is not supported; use otlp or none`);
  }
  const collectorBase = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  const collector: TraceDestination | undefined = collectorBase
    ? {
        kind: 'collector',
        // A signal-specific endpoint is used as given, the general one gets `/v1/traces` (OTLP spec).
        url: env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] || tracesUrl(collectorBase),
        protocol: protocolOf(
          env['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'] || env['OTEL_EXPORTER_OTLP_PROTOCOL'],
          'OTEL_EXPORTER_OTLP_PROTOCOL',
        ),
      }
    : undefined;
  const storeBase = env['OPSMESH_TRACE_STORE_URL'];
  const store: TraceDestination | undefined = storeBase
    ? { kind: 'store', url: tracesUrl(storeBase), protocol: 'http/protobuf' }
    : undefined;
  if (mode === 'collector' && !collector) {
    throw new Error('OPSMESH_TRACE_EXPORT=collector needs OTEL_EXPORTER_OTLP_ENDPOINT');
  }
  if (mode === 'store' && !store) throw new Error('OPSMESH_TRACE_EXPORT=store needs OPSMESH_TRACE_STORE_URL');
  if (mode === 'collector') return [collector!];
  if (mode === 'store') return [store!];
  if (mode === 'both') return [collector, store].filter((d): d is TraceDestination => d !== undefined);
  return collector ? [collector] : store ? [store] : [];
}

const CONTEXT_MODES = ['async', 'explicit'] as const;
/**
 * How a process's active trace context follows its work: `async` through every await
 * (AsyncLocalStorage), `explicit` only through a synchronous `context.with`, the code passing
 * contexts on itself, as the gateway's proxy path does.
 */
export type TraceContextMode = (typeof CONTEXT_MODES)[number];

/**
 * The context mode from `OPSMESH_TRACE_CONTEXT`, else the process's own default (`async` unless
 * it says). Throws naming the variable to fix.
 *
 * @example
 * traceContextMode({}, 'explicit') // 'explicit'
 */
export function traceContextMode(
  env: NodeJS.ProcessEnv,
  fallback: TraceContextMode = 'async',
): TraceContextMode {
  const value = env['OPSMESH_TRACE_CONTEXT'] || fallback;
  if (!CONTEXT_MODES.includes(value as TraceContextMode)) {
    throw new Error(`OPSMESH_TRACE_CONTEXT=${value} is not one of ${CONTEXT_MODES.join(', ')}`);
  }
  return value as TraceContextMode;
}
