import type { ServicesResponse } from '@opsmesh/contracts';
import { describe, expect, it } from 'vitest';
import { noDataReason, signalList, signalText, signalValue } from './signal-text.js';

type ServiceView = ServicesResponse['services'][number];
type Instance = ServiceView['instances'][number];

function view(...instances: Partial<Instance>[]): ServiceView {
  return {
    name: 'ml-service',
    availability: null,
    replicas: { total: instances.length, up: 0, ready: 0 },
    instances: instances.map((i, n) => ({
      url: `http://10.0.0.${n}:3002`,
      up: true,
      ready: true,
      lastScrapeAt: null,
      lastUpAt: null,
      scrapeDurationSeconds: null,
      lastError: null,
      availability: null,
      circuits: [],
      ...i,
    })),
  };
}

describe('signals as a reply names them', () => {
  it('reads ids as people say them', () => {
    expect(signalText('latency_p99')).toBe('p99 latency');
    expect(signalText('error_ratio')).toBe('error ratio');
    expect(signalText('request_rate')).toBe('request rate');
    expect(signalList(['latency_p50', 'error_ratio', 'saturation'])).toBe(
      'p50 latency, error ratio or saturation',
    );
    expect(signalList()).not.toMatch(/_/);
  });

  it('writes values with their unit, percentages without trailing zeros', () => {
    expect(signalValue('latency_p99', 0.1234)).toBe('123 ms');
    expect(signalValue('latency_p95', 1.5)).toBe('1.5 s');
    expect(signalValue('error_ratio', 0.5)).toBe('50%');
    expect(signalValue('availability', 0.99912)).toBe('99.91%');
    expect(signalValue('request_rate', 12)).toBe('12 req/s');
  });
});

describe('why a signal has no data', () => {
  it('names a service with no scrape target', () => {
    for (const v of [undefined, view()]) {
      expect(noDataReason('latency_p99', 'ml-service', '5m', v)).toMatch(
        /^The monitoring service has no scrape target for ml-service: .*`status ml-service`/,
      );
    }
  });

  it('names scrapes that fail, with the error, or that have not run yet', () => {
    expect(
      noDataReason('error_ratio', 'ml-service', '5m', view({ up: false, lastError: 'ECONNREFUSED' })),
    ).toBe(
      "ml-service does not answer the monitoring service's scrapes (ECONNREFUSED). Check its health with `status ml-service`.",
    );
    expect(noDataReason('error_ratio', 'ml-service', '5m', view({ up: false }, { up: false }))).toMatch(
      /^None of the 2 instances of ml-service answers/,
    );
    expect(noDataReason('error_ratio', 'ml-service', '5m', view({ up: null }))).toMatch(
      /not scraped ml-service yet/,
    );
  });

  it('says a window without requests or samples has nothing to measure, and offers a longer one', () => {
    expect(noDataReason('latency_p99', 'ml-service', '5m', view({ up: true }, { up: false }))).toBe(
      'ml-service answered no requests in the last 5m, so there is nothing to measure. Try a longer window, e.g. `p99 latency of ml-service over the last 1h`.',
    );
    expect(noDataReason('saturation', 'ml-service', '2h', view({}))).toBe(
      'There are no samples of it in the last 2h. Try a longer window, e.g. `saturation of ml-service over the last 24h`.',
    );
  });
});
