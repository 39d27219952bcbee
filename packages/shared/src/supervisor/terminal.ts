import { styleText } from 'node:util';

export type LogFormat = 'json' | 'pretty';
export type EventLevel = 'info' | 'warn' | 'error';

/**
 * `LOG_FORMAT=json|pretty` wins; `auto` (the default) is readable lines on a terminal and JSON
 * lines anywhere else (a pipe, a file, a log shipper).
 *
 * @example
 * chooseLogFormat('auto', process.stdout.isTTY === true) // 'pretty' in a terminal
 */
export function chooseLogFormat(setting: 'auto' | LogFormat, isTTY: boolean): LogFormat {
  if (setting !== 'auto') return setting;
  return isTTY ? 'pretty' : 'json';
}

type Style = Parameters<typeof styleText>[0];
const SERVICE_COLOURS: Style[] = ['cyan', 'magenta', 'blue', 'green', 'yellow'];
const LEVEL_STYLE: Record<string, Style> = { warn: 'yellow', error: 'red', fatal: 'red' };
const PINO_LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/** Fields of a log line shown after its message on the readable view (the rest stay in JSON mode). */
const SHOWN_FIELDS = [
  'migration',
  'alertname',
  'severity',
  'alertService',
  'state',
  'model',
  'version',
  'email',
  'ruleId',
  'reason',
];

export interface TerminalOptions {
  format: LogFormat;
  /** Colours on the readable view (off with NO_COLOR or when not writing to a terminal). */
  colour: boolean;
  /** Where the lines go (stdout). */
  write: (text: string) => void;
  now?: () => Date;
}

/**
 * What `npm start` shows: in JSON mode every child's log line as it is and the supervisor's own
 * events as JSON lines too; in the readable mode one line per event (ready, restart, warning,
 * error, alert) with the time, the service and colours, and no line per request.
 *
 * @example
 * const terminal = new Terminal({ format: 'pretty', colour: true, write: (t) => process.stdout.write(t) });
 * terminal.event('auth-service ready at http://127.0.0.1:8081', 'info', 'auth-service');
 * terminal.child('auth-service', '{"level":"warn","msg":"feed unreachable"}');
 */
export class Terminal {
  private readonly colours = new Map<string, Style>();
  private readonly now: () => Date;

  constructor(private readonly options: TerminalOptions) {
    this.now = options.now ?? (() => new Date());
  }

  get format(): LogFormat {
    return this.options.format;
  }

  /**
   * One of the supervisor's own events (a service ready, restarted, given up on); `at` is when it
   * happened, if it is shown later (a start shows services started together in order).
   */
  event(message: string, level: EventLevel = 'info', service = 'opsmesh', at = this.now()): void {
    if (this.options.format === 'json') {
      this.options.write(
        `${JSON.stringify({ level, time: at.toISOString(), service: 'supervisor', subject: service, msg: message })}\n`,
      );
      return;
    }
    this.line(service, level, message, at);
  }

  /** One line a child wrote (at `at`): passed on (JSON), or turned into a readable line or left out. */
  child(service: string, raw: string, at = this.now()): void {
    const parsed = parseJsonLine(raw);
    if (this.options.format === 'json') {
      // Children log JSON; what they print otherwise (a crash's stack, a config error) is wrapped.
      const line = parsed
        ? raw
        : JSON.stringify({ level: 'warn', time: at.toISOString(), service, msg: raw, text: true });
      this.options.write(`${line}\n`);
      return;
    }
    if (!parsed) {
      this.line(service, 'text', raw, at);
      return;
    }
    const readable = readableLine(parsed);
    if (readable) this.line(service, readable.level, readable.message, at);
  }

  private line(service: string, level: string, message: string, at: Date): void {
    const time = at.toTimeString().slice(0, 8);
    const name = service.padEnd(18);
    // The caller decided on colour (a terminal, no NO_COLOR): the stream check is not repeated.
    const styled = (style: Style, text: string) =>
      this.options.colour ? styleText(style, text, { validateStream: false }) : text;
    const levelStyle = LEVEL_STYLE[level];
    const text =
      level === 'text'
        ? styled('dim', message)
        : levelStyle
          ? styled(levelStyle, `${level}: ${message}`)
          : /\bready at\b/.test(message)
            ? styled('green', message)
            : message;
    this.options.write(`${styled('dim', time)} ${styled(this.colourOf(service), name)} ${text}\n`);
  }

  private colourOf(service: string): Style {
    let colour = this.colours.get(service);
    if (!colour) {
      colour =
        service === 'opsmesh'
          ? 'bold'
          : (SERVICE_COLOURS[this.colours.size % SERVICE_COLOURS.length] ?? 'cyan');
      this.colours.set(service, colour);
    }
    return colour;
  }
}

function parseJsonLine(raw: string): Record<string, unknown> | null {
  if (!raw.startsWith('{')) return null;
  try {
    const value = JSON.parse(raw) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * The readable form of one JSON log line, or null for lines that are not events: one per request
 * (unless it failed with a 5xx) or refused, debug and trace, and Fastify's "Server listening" (the
 * supervisor's own "ready" line says it, once the service is really ready).
 */
export function readableLine(line: Record<string, unknown>): { level: string; message: string } | null {
  const level =
    typeof line['level'] === 'number'
      ? (PINO_LEVELS[line['level']] ?? 'info')
      : String(line['level'] ?? 'info');
  if (level === 'trace' || level === 'debug') return null;
  const msg = String(line['msg'] ?? '');
  // A refused request (4xx) is the caller's business: its access line holds it in JSON mode.
  if (msg === 'request rejected' && level === 'info') return null;
  if (msg === 'request completed') {
    const status = Number(line['statusCode']);
    if (!(status >= 500)) return null;
    return {
      level: 'error',
      message: `${line['method']} ${line['url']} answered ${status} (request ${line['requestId']})`,
    };
  }
  if (level === 'info' && msg.startsWith('Server listening at')) return null;
  const details: string[] = [];
  for (const field of SHOWN_FIELDS) {
    if (line[field] !== undefined && line[field] !== null) details.push(`${field}=${String(line[field])}`);
  }
  const err = line['err'] ?? line['error'];
  if (err !== undefined && level !== 'info') {
    details.push(
      typeof err === 'object' && err !== null
        ? String((err as { message?: unknown }).message ?? '')
        : String(err),
    );
  }
  return { level, message: details.length ? `${msg} (${details.filter(Boolean).join(', ')})` : msg };
}
