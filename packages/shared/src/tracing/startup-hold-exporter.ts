import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** Network failures that mean "nothing answers there yet", as the OTLP exporter reports them. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

function unreachable(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && UNREACHABLE.has(code);
}

export interface StartupHoldOptions {
  /** Where the spans go, named in the error of a failed export (`the trace store at http://…`). */
  destination: string;
  /** How long after this process started a store that never answered is still taken for starting. */
  holdMs: number;
  /** The most spans kept meanwhile; the oldest go first beyond it. */
  maxSpans: number;
  now?: () => number;
}

/**
 * Holds the spans of a destination that has never answered while the platform is starting, and
 * sends them with the next batch. `npm start` starts auth and ML before the monitoring service
 * whose trace store they export to, so their first batches (migrations, the bootstrap admin)
 * met a closed port and every start printed the exporter's failure with its stack. A refusal
 * within `holdMs` of start, before the store has taken one batch, is kept (bounded) and reported
 * to the batch processor as done; once the store has answered, or the window has passed, a
 * failure is passed on as the exporter reports it.
 *
 * @example
 * new StartupHoldExporter(new OTLPTraceExporter({ url }), { destination: url, holdMs: 120_000, maxSpans: 2048 })
 */
export class StartupHoldExporter implements SpanExporter {
  private held: ReadableSpan[] = [];
  private reached = false;
  private readonly now: () => number;
  private readonly startedAt: number;

  constructor(
    private readonly inner: SpanExporter,
    private readonly options: StartupHoldOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
  }

  /** How many spans wait for the store to answer. */
  get heldSpans(): number {
    return this.held.length;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const batch = this.held.length > 0 ? [...this.held, ...spans] : spans;
    this.held = [];
    this.inner.export(batch, (result) => {
      if (result.code === ExportResultCode.SUCCESS) {
        this.reached = true;
      } else if (
        !this.reached &&
        this.now() - this.startedAt < this.options.holdMs &&
        unreachable(result.error)
      ) {
        this.held = batch.slice(-this.options.maxSpans);
        resultCallback({ code: ExportResultCode.SUCCESS });
        return;
      }
      resultCallback(result.error ? { ...result, error: this.named(result.error, batch.length) } : result);
    });
  }

  /** The failure as one sentence saying what was not sent where; the stack adds nothing here. */
  private named(error: Error, spans: number): Error {
    const named = new Error(`${spans} span(s) not exported to ${this.options.destination}: ${error.message}`);
    const code = (error as { code?: unknown }).code;
    if (code !== undefined) Object.assign(named, { code });
    return named;
  }

  shutdown(): Promise<void> {
    this.held = [];
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}
