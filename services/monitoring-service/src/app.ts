import { type Authenticator, createService, type Database, type ServiceApp } from '@opsmesh/shared';
import type { MonitoringConfig } from './config.js';
import type { MonitoringDB } from './models/db.js';
import { alertmanagerRoutes } from './routes/alertmanager.js';
import { alertRoutes } from './routes/alerts.js';
import { prometheusRoutes } from './routes/prometheus.js';
import { receiverRoutes } from './routes/receivers.js';
import { ruleRoutes } from './routes/rules.js';
import { seriesRoutes } from './routes/series.js';
import { serviceRoutes } from './routes/services.js';
import { signalRoutes } from './routes/signals.js';
import { silenceRoutes } from './routes/silences.js';
import { traceRoutes } from './routes/traces.js';
import { registerSelfMetrics } from './self-metrics.js';
import { parseDuration } from './services/duration.js';
import type { MonitoringRuntime } from './services/runtime.js';

export const VERSION = '0.1.0';
export const SERVICE_NAME = 'monitoring-service';

export interface MonitoringDeps {
  database: Database<MonitoringDB>;
  authenticator: Authenticator;
  runtime: MonitoringRuntime;
  now?: () => number;
}

/**
 * The monitoring service as an un-started Fastify instance. The periodic work (scrapes,
 * evaluation, deliveries) belongs to `deps.runtime.monitor`, which main.ts starts; tests drive
 * the runtime's parts directly.
 */
export function buildApp(
  config: MonitoringConfig,
  deps: MonitoringDeps,
  options: { processMetrics?: boolean } = {},
): ServiceApp {
  const now = deps.now ?? Date.now;
  const { runtime } = deps;
  const app = createService({
    name: SERVICE_NAME,
    version: VERSION,
    description:
      'Scraping, golden signals, alert rules, silences, notifications, Prometheus and Alertmanager glue',
    logLevel: config.LOG_LEVEL,
    bodyLimit: config.BODY_LIMIT,
    bodyMinBytesPerSecond: config.BODY_MIN_BYTES_PER_SECOND,
    trustProxy: config.TRUST_PROXY,
    authenticator: deps.authenticator,
    ...(options.processMetrics === undefined ? {} : { processMetrics: options.processMetrics }),
  });
  app.addReadinessCheck('database', () => deps.database.ping());
  registerSelfMetrics(app, runtime);

  app.register(signalRoutes, {
    signals: runtime.signals,
    discovery: runtime.discovery,
    defaultWindow: config.SIGNAL_WINDOW,
    now,
  });
  app.register(serviceRoutes, {
    discovery: runtime.discovery,
    scraper: runtime.scraper,
    readiness: runtime.readiness,
    availabilityWindowMs: parseDuration(config.AVAILABILITY_WINDOW),
    heldTargets: () => runtime.heldTargets(),
    self: { service: SERVICE_NAME, evaluator: () => runtime.evaluator() },
  });
  app.register(seriesRoutes, { query: runtime.query, now });
  app.register(ruleRoutes, { rules: runtime.rules });
  app.register(alertRoutes, { alerts: runtime.alerts });
  app.register(silenceRoutes, { silences: runtime.silences });
  app.register(receiverRoutes, { receivers: runtime.receivers });
  app.register(prometheusRoutes, {
    prometheus: runtime.prometheus,
    queries: runtime.promql,
    discovery: runtime.discovery,
    machineToken: config.MACHINE_TOKEN,
  });
  app.register(traceRoutes, { traces: runtime.traces });
  app.register(alertmanagerRoutes, { alerts: runtime.alerts, machineToken: config.MACHINE_TOKEN });

  app.addHook('onClose', async () => {
    await runtime.stop();
    await deps.database.close();
  });
  return app;
}
