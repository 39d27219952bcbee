import { type Logger, type LoggerOptions, pino } from 'pino';
import { serializeError } from './error-serializer.js';
import { redactSecrets } from './redact.js';

/**
 * A pino logger writing JSON lines with `service` on each and secrets redacted.
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
