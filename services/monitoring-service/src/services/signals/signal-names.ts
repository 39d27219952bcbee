/** The golden signals, by the names the API and the rules use. */
export const SIGNAL_NAMES = [
  'request_rate',
  'error_ratio',
  'latency_p50',
  'latency_p95',
  'latency_p99',
  'availability',
  'saturation',
] as const;

export type SignalName = (typeof SIGNAL_NAMES)[number];

export function isSignalName(name: string): name is SignalName {
  return (SIGNAL_NAMES as readonly string[]).includes(name);
}

/**
 * The metric names the signals are computed from: the RED metrics every opsmesh service
 * exports through the shared kit, and prom-client's default process metrics.
 */
export const RED_METRICS = {
  requests: 'http_requests_total',
  durationBuckets: 'http_request_duration_seconds_bucket',
  eventLoopLag: 'nodejs_eventloop_lag_seconds',
  residentMemory: 'process_resident_memory_bytes',
  up: 'up',
} as const;

export interface SaturationBudget {
  /** Event loop lag that counts as fully saturated (saturation 1.0). */
  eventLoopLagSeconds: number;
  /** Resident memory that counts as fully saturated. */
  residentMemoryBytes: number;
}

export type SignalValues = Record<SignalName, number | null>;
