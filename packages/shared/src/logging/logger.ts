import { type Logger, type LoggerOptions, pino } from 'pino';
import { activeLogIds } from '../service/trace-context.js';
import { serializeError } from './error-serializer.js';
import { redactSecrets } from './redact.js';

const TRACED = Symbol('opsmesh.traced');

/**
 * Marks a logger whose bindings already carry `trace_id` and `span_id` (a request's); its
 * children inherit the mark, as pino children inherit from their parent.
 */
export function markTraced<L extends object>(logger: L): L {
  (logger as Record<symbol, unknown>)[TRACED] = true;
  return logger;
}

/**
 * A pino logger writing JSON lines with `service` on each, `trace_id` and `span_id` of the
 * active span, and secrets redacted.
 *
 * @example
 * const log = createLogger({ service: 'auth-service', level: 'info' });
 * log.info({ userId: 'usr_1' }, 'user created');
 */
export function createLogger(opts: {
  service: string;
  level?: string;
  destination?: NodeJS.WritableStream;
}): Logger {
  const options: LoggerOptions = {
    level: opts.level ?? 'info',
    base: { service: opts.service, pid: process.pid },
    serializers: { err: serializeError },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }), log: (fields) => redactSecrets(fields) },
    // Lines written under an active span (background work, a handler's own logger) carry its ids.
    // (pino merges the line's fields into the returned object, so it is a fresh one each time.)
    mixin: (_obj, _level, logger) =>
      (logger as unknown as Record<symbol, unknown>)[TRACED] ? {} : (activeLogIds() ?? {}),
  };
  if (opts.destination) return pino(options, opts.destination as pino.DestinationStream);
  // Lines are buffered up to 4 KiB and written asynchronously (flushed on exit): one write
  // syscall per request line would cost a busy service more than the request itself.
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  // A quiet service still shows its lines within a quarter of a second.
  setInterval(() => {
    try {
      destination.flush();
    } catch {
      // Not open yet, or already closed at exit: the next tick or the exit flush writes it.
    }
  }, 250).unref();
  return pino(options, destination);
}

export type { Logger };
