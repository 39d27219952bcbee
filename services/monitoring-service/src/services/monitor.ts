import { failSpan, inSpan } from '@opsmesh/shared';
import type { FastifyBaseLogger } from 'fastify';

export interface MonitorTask {
  name: string;
  intervalMs: number;
  run(): Promise<unknown>;
}

/**
 * Runs the periodic tasks (scrape, readiness polls, rule evaluation, outbox delivery) each on
 * its own interval, never overlapping itself; a failing run is logged and the next one goes
 * ahead. `stop()` waits for runs in progress, so shutdown does not cut a write in half. Each run
 * starts a trace of its own (`monitoring.<task>`), so a scrape's calls or a delivery's webhook
 * and their log lines are found together.
 */
export class Monitor {
  private timers = new Map<string, NodeJS.Timeout>();
  private inFlight = new Set<Promise<unknown>>();
  private stopped = true;

  constructor(
    private readonly tasks: readonly MonitorTask[],
    private readonly logger: FastifyBaseLogger,
  ) {}

  start(): void {
    this.stopped = false;
    for (const task of this.tasks) this.schedule(task, 0);
  }

  private schedule(task: MonitorTask, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      const started = Date.now();
      const run = inSpan(
        `monitoring.${task.name}`,
        { 'opsmesh.task': task.name },
        async (span) => {
          try {
            await task.run();
          } catch (err) {
            failSpan(span, err);
            this.logger.error({ err, task: task.name }, 'periodic task failed');
          }
        },
        { root: true },
      ).finally(() => {
        this.inFlight.delete(run);
        this.schedule(task, Math.max(0, task.intervalMs - (Date.now() - started)));
      });
      this.inFlight.add(run);
    }, delayMs);
    timer.unref();
    this.timers.set(task.name, timer);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
  }
}
