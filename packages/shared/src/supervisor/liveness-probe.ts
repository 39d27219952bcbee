/** How a child's liveness is probed, in the terms of a Kubernetes liveness probe. */
export interface LivenessSettings {
  /** Wait this long after a launch before the first probe (`initialDelaySeconds`). */
  initialDelayMs: number;
  /** Time between the starts of two probes (`periodSeconds`); 0 turns probing off. */
  periodMs: number;
  /** A probe with no answer within this is a failure (`timeoutSeconds`). */
  timeoutMs: number;
  /** This many failures in a row and the child is restarted (`failureThreshold`). */
  failureThreshold: number;
  /**
   * Before its first good answer a child is starting, not hung: its failures count only once this
   * long has passed since the launch (what a Kubernetes `startupProbe` is for).
   */
  startupMs: number;
}

export interface LivenessProbeOptions {
  /** The child's `/health/live` URL. */
  url: string;
  settings: LivenessSettings;
  /** When set, an answer naming another instance (a process not started by us) is a failure. */
  instance?: string | undefined;
  /** Called once when the threshold is reached; probing has stopped by then. */
  onUnhealthy: (failures: number, lastError: string) => void;
}

/**
 * Probes one child's `/health/live` on a period and reports when it fails `failureThreshold`
 * times in a row: a process whose event loop is blocked still accepts connections (the kernel
 * does that) but never answers, which an exit handler cannot see.
 *
 * @example
 * const probe = new LivenessProbe({ url: 'http://127.0.0.1:8081/health/live', settings,
 *   onUnhealthy: () => child.kill('SIGTERM') });
 * probe.start(); // and probe.stop() when the child exits
 */
export class LivenessProbe {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private failures = 0;
  private answered = false;
  private startedAt = 0;

  constructor(private readonly options: LivenessProbeOptions) {}

  start(): void {
    if (this.options.settings.periodMs <= 0) return;
    this.startedAt = Date.now();
    this.schedule(this.options.settings.initialDelayMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.probe(), ms);
    this.timer.unref();
  }

  private async probe(): Promise<void> {
    const { settings } = this.options;
    const began = Date.now();
    const error = await this.check();
    if (this.stopped) return;
    if (error === null) {
      this.answered = true;
      this.failures = 0;
    } else if (this.answered || Date.now() - this.startedAt >= settings.startupMs) {
      this.failures++;
      if (this.failures >= settings.failureThreshold) {
        this.stop();
        this.options.onUnhealthy(this.failures, error);
        return;
      }
    }
    this.schedule(Math.max(0, settings.periodMs - (Date.now() - began)));
  }

  /** Null when the child answered as itself, else why not. */
  private async check(): Promise<string | null> {
    try {
      const res = await fetch(this.options.url, {
        signal: AbortSignal.timeout(this.options.settings.timeoutMs),
      });
      const body = (await res.json().catch(() => ({}))) as { instance?: unknown };
      if (res.status !== 200) return `answered ${res.status}`;
      if (this.options.instance && body.instance !== this.options.instance) {
        return `answered as instance ${String(body.instance)}, not the process started`;
      }
      return null;
    } catch (err) {
      if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
        return `no answer within ${this.options.settings.timeoutMs} ms`;
      }
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      return cause ?? (err instanceof Error ? err.message : String(err));
    }
  }
}
