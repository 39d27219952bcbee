import { CommonConfig } from '@opsmesh/shared';
import { type Static, Type } from '@sinclair/typebox';

const Duration = (def: string, description: string) =>
  Type.String({
    default: def,
    pattern: '^([0-9]+(ms|s|m|h|d|w|y))+$',
    description: `${description} (a duration such as ${def})`,
  });

export const MonitoringConfigSchema = Type.Object({
  ...CommonConfig.properties,
  PORT: Type.Integer({ default: 8083, minimum: 0, maximum: 65535 }),
  SCRAPE_INTERVAL: Duration('15s', 'how often every instance is scraped'),
  SCRAPE_TIMEOUT: Duration('5s', 'time allowed for one scrape'),
  SCRAPE_MAX_BYTES: Type.Integer({ default: 10_000_000, minimum: 1024 }),
  EVALUATION_INTERVAL: Duration('10s', 'how often alert rules are evaluated'),
  RETENTION: Duration('1h', 'how long samples are kept in memory'),
  STORE_MAX_BYTES: Type.Integer({
    default: 256_000_000,
    minimum: 1_000_000,
    description: 'memory cap of the sample store',
  }),
  SIGNAL_WINDOW: Duration('5m', 'default window of the golden signals'),
  AVAILABILITY_WINDOW: Duration('1h', 'window of the readiness availability in the service view'),
  SLO_OBJECTIVE: Type.Number({ default: 0.999, exclusiveMinimum: 0, exclusiveMaximum: 1 }),
  SATURATION_LAG_SECONDS: Type.Number({ default: 0.1, exclusiveMinimum: 0 }),
  SATURATION_MEMORY_BYTES: Type.Number({ default: 1_073_741_824, exclusiveMinimum: 0 }),
  GROUP_BY: Type.String({
    default: 'alertname,service',
    description: 'comma-separated labels grouping notifications',
  }),
  GROUP_WAIT: Duration('30s', 'wait before the first notification of a group'),
  GROUP_INTERVAL: Duration('5m', 'minimum time between notifications of a changed group'),
  REPEAT_INTERVAL: Duration('4h', 'time before a still-firing group is notified again'),
  RESOLVED_RETENTION: Duration('15m', 'how long resolved alerts stay listed'),
  STARTUP_GRACE: Duration(
    '2m',
    'how long a service that has not been ready since monitoring started is not alerted on, so a planned start pages no one',
  ),
  /** `name=url,name=url`: receivers of Alertmanager-format webhooks, e.g. the ChatOps service. */
  ALERT_RECEIVERS: Type.String({ default: '', description: 'comma-separated name=url receivers' }),
  /** Sent as `Authorization: Bearer` to receivers, e.g. the ChatOps service's NOTIFY_TOKEN. */
  ALERT_RECEIVER_TOKEN: Type.Optional(
    Type.String({ minLength: 16, description: 'a secret of 16+ characters' }),
  ),
  OUTBOX_INTERVAL: Duration('5s', 'how often the notification outbox is delivered'),
  OUTBOX_BACKOFF_MAX: Duration('5m', 'longest wait between delivery retries'),
  PROMETHEUS_URL: Type.Optional(
    Type.String({ pattern: '^https?://', description: 'an http(s) URL of Prometheus' }),
  ),
  ALERTMANAGER_URL: Type.Optional(
    Type.String({ pattern: '^https?://', description: 'an http(s) URL of Alertmanager' }),
  ),
  /** Bearer token Prometheus (HTTP SD) and Alertmanager (webhook) present; a JWT works too. */
  MACHINE_TOKEN: Type.Optional(Type.String({ minLength: 16, description: 'a secret of 16+ characters' })),
  RULES_MAX: Type.Integer({
    default: 500,
    minimum: 1,
    description: 'alert rules that may exist at once, built-in ones included',
  }),
  SILENCES_MAX: Type.Integer({
    default: 1000,
    minimum: 1,
    description: 'silences that may be pending or active at once (as Alertmanager --silences.max-silences)',
  }),
  TRACE_MAX_TRACES: Type.Integer({
    default: 10_000,
    minimum: 10,
    description: 'traces the built-in trace store keeps (failed and slow ones longest)',
  }),
  TRACE_MAX_BYTES: Type.Integer({
    default: 64_000_000,
    minimum: 100_000,
    description: 'approximate bytes of span data the trace store keeps',
  }),
  TRACE_SLOW_MS: Type.Number({ default: 1000, minimum: 0, description: 'a trace this long is kept as slow' }),
  EXTERNAL_URL: Type.String({ default: 'http://127.0.0.1:8083', pattern: '^https?://' }),
});
export type MonitoringConfig = Static<typeof MonitoringConfigSchema>;

/** Parses `name=url,name=url`. */
export function parseReceivers(text: string): Array<{ name: string; url: string }> {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const eq = entry.indexOf('=');
      const name = entry.slice(0, eq).trim();
      const url = entry.slice(eq + 1).trim();
      if (eq <= 0 || !/^https?:\/\//.test(url))
        throw new Error(`ALERT_RECEIVERS entry "${entry}" must look like name=http://host/path`);
      return { name, url };
    });
}
