import { inSpan } from '@opsmesh/shared';

/**
 * Work finished after the HTTP answer (Slack's 3-second rule). Tracked so shutdown and tests can
 * wait for it; a failure is logged, never left as an unhandled rejection. Each task runs in its
 * own span, continuing the trace of the request that started it (a Slack `response_url` reply
 * shows up under the slash command that asked for it).
 */
export class BackgroundTasks {
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly onError: (err: unknown) => void) {}

  run(work: () => Promise<unknown>, name = 'chatops.background'): void {
    const p = inSpan(name, {}, work)
      .catch(this.onError)
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  /** Resolves once everything started so far (and anything it started) has finished. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}

/** Resolves with the value if it arrives within `ms`, else with undefined (the work keeps going). */
export async function within<T>(work: Promise<T>, ms: number): Promise<{ value: T } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work.then((value) => ({ value })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
