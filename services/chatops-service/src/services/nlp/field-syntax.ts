/**
 * Commands written as fields rather than sentences: command-line flags (`--for 45m`, `-m "db
 * failover"`, `--user=jdoe`), `key=value` pairs (`id=b41e dur=1d`, `reason='known flake'`), JSON
 * (`{"action":"promote","version":23}`), a call (`silence(alert="X", for="6h")`) and a form of
 * `KEY: value` lines ("ACTION: rollback\nMODEL: fraud\nREASON: false positives"). Each field known
 * here is said in the words the extractor reads ("for 45m", "user jdoe", a quoted comment); other
 * fields (`p99=2.4s` in a pasted alert) stay as written.
 */

type Say = (value: string) => string;

const AS_IS: Say = (v) => v;
const FIELDS: Record<string, Say> = {};
const define = (keys: string, say: Say) => {
  for (const k of keys.split(' ')) FIELDS[k] = say;
};
define('action cmd command verb op do intent', AS_IS);
define('rule alert alertname alert_name', AS_IS);
define('svc service target component app', (v) => `on ${v}`);
define('for dur duration ttl length expires', (v) => `for ${v}`);
// "WINDOW: last 24h" already says "last".
define('window win range since lookback period over', (v) =>
  /^(?:last|past|over)\b/i.test(v) ? v : `over the last ${v}`,
);
define('reason comment msg message note m why', (v) => `"${v}"`);
define('id alert_id alertid fingerprint', (v) => `id ${v}`);
define('silence silence_id silenceid sid', (v) => `silence ${v}`);
define('user by author who u', (v) => `user ${v}`);
define('model', AS_IS);
define('version ver v', (v) => `version ${v}`);
define('alias to env stage', AS_IS);
define('severity sev level priority', AS_IS);
define('signal metric', AS_IS);
define('features inputs input row data x', (v) => v.replace(/[[\]]/g, ' ').trim());
define('code', (v) => `code ${v}`);
define('hours', (v) => `${v} hours`);
define('minutes mins', (v) => `${v} minutes`);
define('days', (v) => `${v} days`);
define('to_version target_version', (v) => `to version ${v}`);
define('matcher matchers alertname_matcher', AS_IS);
// Who owns the incident is no part of the command ("OWNER: me").
define('owner assignee ic', () => '');

const VALUE = String.raw`"[^"\n]*"|'[^'\n]*'|\[[^\]\n]*\]|[^\s,;)}\]]+`;
const unquote = (v: string) => v.replace(/^(["'])([\s\S]*)\1$/, '$2').trim();
// A flag's words may be joined by a dash as well (`--alert-id=4471`, `--silence-id`).
const fieldName = (key: string) => key.toLowerCase().replaceAll('-', '_');
const say = (key: string, value: string) => FIELDS[fieldName(key)]!(unquote(value));
const isField = (key: string) => Object.hasOwn(FIELDS, fieldName(key));

// `--key value`, `--key=value`, `-m "…"`: a flag and its value. `--help` and `-h` ask for help.
const FLAG = new RegExp(String.raw`(?<![\w-])--?([a-z_]+(?:-[a-z_]+)*)(?:\s*=\s*|\s+)(${VALUE})`, 'gi');
const HELP_FLAG = /(?<![\w-])(?:--help|-h)(?![\w-])/gi;
const COMMAND_HELP = /^\s*([a-z][\w.]*(?:\s+[a-z][\w.]*)?)\s+(?:--help|-h)\s*$/i;
// `key=value`, `"key": value` (JSON): a name joined to its value.
// (`severity == "warning"`, `df.svc=='gateway'`: a comparison in a query names the value as well.)
const PAIR = new RegExp(String.raw`(?<![\w-])["']?([a-z_]+)["']?\s*(?:==?|(?<=["']\s*):)\s*(${VALUE})`, 'gi');
const PAIR_ONE = new RegExp(PAIR.source, 'i');
const JSON_NUMBERS = /\{((?:\s*"[a-z_][\w.-]*"\s*:\s*-?\d[\d.eE+-]*\s*,?){2,40})\s*\}/gi;
// `-m looking into it`: a note flag's unquoted words run to the next flag or the end of the line.
const NOTE_FLAG =
  /(?<![\w-])--?(?:m|msg|message|reason|comment|note|why)(?:[ \t]*=[ \t]*|[ \t]+)(?!["'\s])([^\n]*?[^\s])(?=[ \t]+--?[a-z]|[ \t]*$)/gim;
// (Up to the next `key=` on the line: "why=db failover dur=6h".)
const NOTE_PAIR =
  /(?<![\w-])(?:reason|comment|note|msg|message|why)[ \t]*=[ \t]*(?!["'])([^\n"]*?[^\s"])(?=[ \t]+[a-z_]+[ \t]*=|[ \t]*(?:\n|$))/gi;
// `KEY: value` on a line of its own, in a message of two such lines or more.
const LINE = /^[ \t]*(?:(?:[-*•]|\d+[.)])[ \t]+)?([a-z_]+)[ \t]*:[ \t]*(.+?)[ \t]*$/gim;
// `verb(…)`: a call, read as the verb and its arguments.
// `alerts.silence(…)`, `list_alerts(…)`: a method's dots and underscores are spaces.
const CALL = /\b([a-z][a-z_.]*)\(([^()\n]*)\)/gi;
const CALL_ONE = new RegExp(CALL.source, 'i');

// A request half-written as a query, SQL or PromQL, the way an SRE types one at a console:
// "select * from command_log where user='@dan.v' and ts > now() - 1d", "update models set
// alias='staging' where model='churn' and version=11", "rate(http_requests_total{service="gateway"}[5m])
// over the last 1h", "count by (alertname) (ALERTS{alertstate="firing"})". Each part is said in the
// words of the command it stands for; the fields after `where` are read as fields are.
const QUERY_WORDS: [RegExp, string][] = [
  // A time bound: "ts > now() - 1d", "t > now()-90m", "at >= now() - interval '2 hours'".
  [
    /\b(?:ts|t|time|timestamp|at|created_at|ran_at|started_at)\s*>=?\s*now\(\)\s*-\s*(?:interval\s+)?'?(\d+\s*[a-z]+)'?/gi,
    ' over the last $1 ',
  ],
  // What the statement does, by its verb and table.
  [
    /^\s*select\b[^\n]*?\bfrom\s+(?:command_?log|commands|command_history|history|audit_?log|audit)\b/gim,
    'history ',
  ],
  [/^\s*select\s+\*\s+from\s+alerts\b/gim, 'list alerts '],
  [/^\s*update\s+(?:models|aliases|model_aliases|registry)\s+set\b/gim, 'promote '],
  [/^\s*update\s+alerts\s+set\s+(?:acked|ack|acknowledged)\s*=\s*(?:true|1)\b/gim, 'ack '],
  // "update alerts set owner = me where id = 66": taking an alert is acknowledging it.
  [
    /^\s*update\s+alerts\s+set\s+(?:owner|assignee|owned_by|acked_by|ack_by|acknowledged_by)\s*=\s*'?@?[\w.-]+'?/gim,
    'ack ',
  ],
  [/^\s*update\s+alerts\s+set\s+(?:silenced|muted)\s*=\s*(?:true|1)\b/gim, 'silence '],
  [/^\s*delete\s+from\s+silences\b/gim, 'unsilence '],
  // PromQL: the range of a rate (`[5m]`) is its step, not the time asked about; grouping
  // (`by (alertname)`) names labels, not services; metric names say their signal.
  [/\b(?:sum|count|avg|max|min|topk\(\s*\d+\s*,)\s*(?:by|without)\s*\([^)]*\)/gi, ' '],
  [/\bhistogram_quantile\(\s*0?\.(\d\d)\s*,/gi, ' p$1 of ('],
  [/\bhttp_requests?_total\b(?=[^\n]*(?:status|code)\s*=~?\s*["']5)/gi, ' 5xx errors '],
  [/\bhttp_requests?_total\b/gi, ' requests '],
  [/\bhttp_(?:5xx|errors?)\w*/gi, ' 5xx errors '],
  [/\bALERTS\s*\{[^}]*firing[^}]*\}/g, ' alerts firing '],
];
const PROM_RANGE = /(?<=[\w}]\s*)\[(\d+[smhdw])\]/g;
const OTHER_WINDOW = /\b(?:last|past|over the last|since)\s+\d*\s*[a-z]/i;

// A request written as a data frame is handled in a notebook: a row picked by its label
// (`alerts.loc[1207].ack()`, `silences[4]` …) is the command's object; grouping, sorting and
// taking the first or last rows (`.groupby('5min')`, `.tail(20)`) shape a table, asking nothing.
const ROW_CALL =
  /\b(alerts?|silences?|models?)(?:\.(?:loc|iloc|at))?\[\s*["']?([\w-]+)["']?\s*\]\.(\w+)\(\s*/gi;
const ROW_KEY: Record<string, string> = { alert: 'id', silence: 'silence', model: 'model' };
const TABLE_SHAPING =
  /\.(?:groupby|resample|rolling|shift|diff|pct_change|agg|aggregate|sort_values|sort_index|value_counts|head|tail|reset_index|to_list|tolist|describe)\([^()\n]*\)/gi;

/** A request written as a query, in the words of the command it stands for. */
function queryInWords(text: string): string {
  text = text
    .replace(ROW_CALL, (_, table: string, row: string, verb: string) => {
      const key = ROW_KEY[table.toLowerCase().replace(/s$/, '')]!;
      return `${table}.${verb}(${key}=${row}, `;
    })
    .replace(TABLE_SHAPING, ' ');
  if (!/\b(?:select|update|delete|now\(\)|rate|sum|count|histogram_quantile|ALERTS|http_)\b|\]/i.test(text))
    return text;
  let out = text;
  for (const [from, to] of QUERY_WORDS) out = out.replace(from, to);
  // `rate(x[5m])` alone asks about the last 5 minutes; beside "over the last 1h" the hour is asked.
  return out.replace(PROM_RANGE, (_, range: string) =>
    OTHER_WINDOW.test(out) ? ' ' : ` over the last ${range} `,
  );
}

/** Whether a `key=value` key is one of a command's fields (`svc`, `dur`, `reason`, `v`, …). */
export function isFieldKey(key: string): boolean {
  return Object.hasOwn(FIELDS, key.toLowerCase());
}

/**
 * The message with its known fields said in words.
 *
 * @example fieldsInWords('!silence --rule ServiceDown --for 45m -m "deploy"') // '!silence ServiceDown for 45m "deploy"'
 */
export function fieldsInWords(text: string): string {
  if (!/[=:([-]/.test(text)) return text;
  // `models --help` alone: how to use the command, as `/models --help` reads (`strict-syntax.ts`).
  let out = queryInWords(text).replace(COMMAND_HELP, 'how do i use $1').replace(HELP_FLAG, ' help ');
  // A JSON object: its fields, one after another.
  if (/^\s*\{[\s\S]*\}\s*$/.test(out) && PAIR_ONE.test(out))
    out = out.replace(/[{}]/g, ' ').replace(/,/g, ', ');
  // Inputs as a JSON object inside a request ('score fraud:7 {"amount": 1.25e3, "hour": 23}'): its
  // values in order, a row.
  else if (out.includes('{'))
    out = out.replace(
      JSON_NUMBERS,
      (_, inner: string) => ` ${[...inner.matchAll(/:\s*(-?\d[\d.eE+-]*)/g)].map((m) => m[1]).join(', ')} `,
    );
  const lines = [...out.matchAll(LINE)].filter((m) => isField(m[1]!));
  if (lines.length >= 2)
    out = out.replace(LINE, (whole, key: string, value: string) => (isField(key) ? say(key, value) : whole));
  for (let i = 0; i < 3 && CALL_ONE.test(out); i++)
    out = out.replace(CALL, (whole, verb: string, args: string) =>
      /[=,"']/.test(args) || args.trim() === ''
        ? `${verb.replace(/[._]/g, ' ')} ${args.replace(/(^|[\s,(])["']([^"'\s]+)["'](?=$|[\s,)])/g, '$1$2')}`
        : whole,
    );
  out = out.replace(NOTE_FLAG, (_, value: string) => ` "${value}"`);
  out = out.replace(FLAG, (whole, key: string, value: string) =>
    isField(key) ? ` ${say(key, value)}` : whole,
  );
  // "reason=batch reindex job": a note's words run to the end of its line or the next pair.
  out = out.replace(NOTE_PAIR, (_, value: string) => `"${value.trim()}"`);
  return out.replace(PAIR, (whole, key: string, value: string) => (isField(key) ? say(key, value) : whole));
}
