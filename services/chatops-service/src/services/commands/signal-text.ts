import type { ServicesResponse, SignalName } from '@opsmesh/contracts';
import { durationSeconds } from './duration-seconds.js';

type ServiceView = ServicesResponse['services'][number];

/** Golden signals as people read them in a reply, by the monitoring service's signal id. */
const SIGNAL_TEXT: Record<SignalName, string> = {
  request_rate: 'request rate',
  error_ratio: 'error ratio',
  latency_p50: 'p50 latency',
  latency_p95: 'p95 latency',
  latency_p99: 'p99 latency',
  availability: 'availability',
  saturation: 'saturation',
};

/** Signals that only exist while a service answers requests: none in a window, nothing to measure. */
const PER_REQUEST = new Set<string>(['error_ratio', 'latency_p50', 'latency_p95', 'latency_p99']);

/**
 * A signal id as a reply names it.
 *
 * @example
 * signalText('latency_p99') // 'p99 latency'; signalText('error_ratio') // 'error ratio'
 */
export function signalText(signal: string): string {
  return SIGNAL_TEXT[signal as SignalName] ?? signal;
}

/** Every signal as a reply names it: "request rate, error ratio, … or saturation". */
export function signalList(signals: readonly string[] = Object.keys(SIGNAL_TEXT)): string {
  const names = signals.map(signalText);
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

/**
 * A signal's value with its unit: latency in ms or s, ratios as percentages without trailing
 * zeros, request rate per second.
 *
 * @example
 * signalValue('latency_p99', 0.1234) // '123 ms'; signalValue('error_ratio', 0.5) // '50%'
 */
export function signalValue(signal: string, value: number): string {
  if (signal.startsWith('latency_'))
    return value < 1 ? `${Math.round(value * 1000)} ms` : `${Number(value.toFixed(2))} s`;
  if (signal === 'error_ratio' || signal === 'availability' || signal === 'saturation')
    return `${Number((value * 100).toFixed(2))}%`;
  if (signal === 'request_rate') return `${Number(value.toFixed(2))} req/s`;
  return String(value);
}

/**
 * Why a signal has no value, as far as the monitoring service's view of the service tells, and what
 * to try: no scrape target, scrapes failing or not yet made, or no samples in the window.
 *
 * @example
 * noDataReason('latency_p99', 'ml-service', '5m', view)
 * // 'ml-service answered no requests in the last 5m, so there is nothing to measure. Try a longer window, …'
 */
export function noDataReason(
  signal: string,
  service: string,
  window: string,
  view: ServiceView | undefined,
): string {
  const instances = view?.instances ?? [];
  if (instances.length === 0)
    return `The monitoring service has no scrape target for ${service}: discovery lists no instance of it. Check that ${service} is running and registered (\`status ${service}\`).`;
  if (instances.every((i) => i.up === null))
    return `The monitoring service has not scraped ${service} yet (it may have just started). Try again in a minute.`;
  if (instances.every((i) => i.up === false)) {
    const error = instances.find((i) => i.lastError)?.lastError;
    const who =
      instances.length === 1
        ? `${service} does not answer`
        : `None of the ${instances.length} instances of ${service} answers`;
    return `${who} the monitoring service's scrapes${error ? ` (${error})` : ''}. Check its health with \`status ${service}\`.`;
  }
  // A window longer than the one asked for, to reach back past a quiet spell.
  const asked = durationSeconds(window) ?? 0;
  const longer = asked < 3600 ? '1h' : asked < 86_400 ? '24h' : '7d';
  const retry = `Try a longer window, e.g. \`${signalText(signal)} of ${service} over the last ${longer}\`.`;
  return PER_REQUEST.has(signal)
    ? `${service} answered no requests in the last ${window}, so there is nothing to measure. ${retry}`
    : `There are no samples of it in the last ${window}. ${retry}`;
}
