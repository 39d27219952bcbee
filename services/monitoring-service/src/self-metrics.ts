import type { ServiceApp } from '@opsmesh/shared';
import { Gauge } from 'prom-client';
import type { MonitoringRuntime } from './services/runtime.js';

/** The monitoring service's own health in its /metrics: store size, targets, alerts. */
export function registerSelfMetrics(app: ServiceApp, runtime: MonitoringRuntime): void {
  const registers = [app.metrics.registry];
  app.metrics.registry.registerMetric(runtime.droppedNotifications);
  new Gauge({
    name: 'monitoring_store_series',
    help: 'Series held in the in-memory sample store',
    registers,
    collect() {
      this.set(runtime.store.seriesCount);
    },
  });
  new Gauge({
    name: 'monitoring_store_bytes',
    help: 'Estimated bytes held by the in-memory sample store',
    registers,
    collect() {
      this.set(runtime.store.approxBytes());
    },
  });
  new Gauge({
    name: 'monitoring_store_rejected_series',
    help: 'New series refused because the store reached its memory cap, since start',
    registers,
    collect() {
      this.set(runtime.store.rejectedSeries);
    },
  });
  new Gauge({
    name: 'monitoring_targets',
    help: 'Scrape targets by health',
    labelNames: ['health'] as const,
    registers,
    collect() {
      const status = runtime.scraper.status();
      this.set({ health: 'up' }, status.filter((s) => s.up === true).length);
      this.set({ health: 'down' }, status.filter((s) => s.up === false).length);
    },
  });
  new Gauge({
    name: 'monitoring_alerts',
    help: 'Current alerts by state',
    labelNames: ['state'] as const,
    registers,
    async collect() {
      const alerts = await runtime.alerts.list({});
      for (const state of ['pending', 'firing', 'resolved'] as const) {
        this.set({ state }, alerts.filter((a) => a.state === state).length);
      }
    },
  });
}
