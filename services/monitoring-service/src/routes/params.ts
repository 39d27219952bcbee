import { errors } from '../errors.js';
import { DurationError, parseDuration } from '../services/duration.js';
import { PrometheusError } from '../services/prometheus/prometheus-client.js';

/** A duration from a query parameter; a bad one is a 400 naming the parameter. */
export function durationParam(name: string, text: string | undefined, fallback: string, min = 1000): number {
  const value = text ?? fallback;
  let ms: number;
  try {
    ms = parseDuration(value);
  } catch (err) {
    if (!(err instanceof DurationError)) throw err;
    throw errors.MONITORING_INVALID_DURATION({ message: `${name}: ${err.message}` });
  }
  if (ms < min)
    throw errors.MONITORING_INVALID_DURATION({ message: `${name} must be at least ${min / 1000}s` });
  return ms;
}

/** Runs a call to Prometheus, turning its failures into catalogue errors. */
export async function viaPrometheus<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof PrometheusError) {
      if (err.badQuery) throw errors.MONITORING_BAD_QUERY({ message: err.message });
      throw errors.MONITORING_PROMETHEUS_UNAVAILABLE({}, { cause: err });
    }
    throw err;
  }
}
