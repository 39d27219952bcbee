import { type Logger, type LoggerOptions, pino } from 'pino';

/** Paths whose values never reach a log line. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-slack-signature"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.new_password',
  '*.current_password',
  '*.token',
  '*.access_token',
  '*.refresh_token',
  '*.client_secret',
  '*.secret',
  '*.api_key',
  '*.apiKey',
  '*.authorization',
  '*.cookie',
  'password',
  'token',
  'secret',
];

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
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
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
