import type { FastifyInstance } from 'fastify';
import { flushTraces } from '../tracing/flush-traces.js';

/**
 * On SIGTERM/SIGINT: readiness goes to 503, the server stops accepting and drains in-flight
 * requests, `onClose` hooks close pools, pending spans are exported, then the process exits 0 (1 if draining overran `graceMs`).
 */
export function installShutdown(
  app: FastifyInstance,
  options: { graceMs?: number; exit?: (code: number) => void } = {},
): void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let started = false;
  const handler = (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    app.draining = true;
    app.log.info({ signal }, 'shutting down: draining in-flight requests');
    const timer = setTimeout(() => {
      app.log.error({ graceMs: options.graceMs }, 'shutdown overran its grace period; exiting');
      exit(1);
    }, options.graceMs ?? 10_000);
    timer.unref();
    // The kit's preClose hook closes keep-alive sockets as they go idle (see createService).
    app.close().then(
      async () => {
        await flushTraces();
        clearTimeout(timer);
        app.log.info('shutdown complete');
        exit(0);
      },
      (err) => {
        app.log.error({ err }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.once('SIGTERM', handler);
  process.once('SIGINT', handler);
}
