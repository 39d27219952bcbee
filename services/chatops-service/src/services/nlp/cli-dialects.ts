/**
 * Commands written in the syntax of another command-line tool the writer uses all day: kubectl
 * (`kubectl get alerts -n gateway --since=1h`, `kubectl rollout undo model/iris --alias=canary`) and
 * PowerShell (`Get-Alerts | Where-Object { $_.Rule -eq 'KafkaLagHigh' }`, `New-Silence -AlertId 203
 * -Duration 45m`). Each is rewritten into this bot's own strict form (`alerts silence --id 203 --for
 * 45m`), which the strict parser then reads like any `/ops` command. Only commands on what this bot
 * has (alerts, silences, models, health, metrics, the audit log, identity, help) are rewritten;
 * `kubectl get pods` or `Restart-Service` stay what they are: a pasted command this bot does not run.
 */

type Kind = 'alert' | 'silence' | 'model' | 'health' | 'metrics' | 'audit' | 'identity' | 'link' | 'help';

interface Command {
  /** The tool's verb: `get`, `delete`, `rollout undo`; PowerShell's `Get`, `New`. */
  verb: string;
  kind: Kind;
  /** The object's name written with the resource (`alert/4f2b`, `model ltv-scorer`, `-Name x`). */
  name?: string;
  /** Flags by their lower-cased name, without dashes. */
  flags: Map<string, string>;
  /** Words after `--` or after the resource (`predict 120.5 0 1 7`). */
  rest: string[];
}

// Resources by the nouns either tool gives them (kubectl's plural and short forms; PowerShell's
// singular nouns, compounds of them included: `AlertState`, `ModelVersion`, `AuditLog`).
const NOUNS: [RegExp, Kind][] = [
  [/^(?:alerts?|alertstate|alertrules?|alertname)$/, 'alert'],
  [/^(?:silences?|sil|mutes?|snoozes?)$/, 'silence'],
  [/^(?:models?|modelversions?|modelalias(?:es)?|aliases|alias|mdl)$/, 'model'],
  [/^(?:predictions?|inference)$/, 'model'],
  [/^(?:status|health|healthz|servicestatus|servicehealth|healthcheck)$/, 'health'],
  [/^(?:metrics?|servicemetrics?|stats)$/, 'metrics'],
  [/^(?:events?|audit|auditlogs?|eventlogs?|history|activity)$/, 'audit'],
  [/^(?:whoami|can-i|identity|permissions?|roles?|me|user)$/, 'identity'],
  [/^(?:account|accountlink|link)$/, 'link'],
  [/^(?:help|commands?)$/, 'help'],
];

const kindOf = (noun: string): Kind | undefined =>
  NOUNS.find(([pattern]) => pattern.test(noun.toLowerCase()))?.[1];

// One token of a command line: a quoted string, a PowerShell array `@(…)` or script block `{…}`,
// a pipe, or a run of other characters.
const TOKEN = /"([^"]*)"|'([^']*)'|@\(([^)]*)\)|\{([^}]*)\}|(\|)|([^\s|]+)/g;

interface Token {
  text: string;
  quoted: boolean;
}

function tokens(line: string): Token[] {
  const out: Token[] = [];
  for (const m of line.matchAll(TOKEN)) {
    const quoted = m[1] ?? m[2] ?? m[3] ?? m[4];
    out.push(quoted !== undefined ? { text: quoted, quoted: true } : { text: m[5] ?? m[6]!, quoted: false });
  }
  return out;
}

const KUBECTL = /^\s*(?:\$\s*)?kubectl\s+/i;
// `Verb-Noun` as PowerShell names its commands (Get-Alerts, Remove-Silence, Invoke-Prediction).
const CMDLET = /^\s*(?:PS>\s*)?([A-Z][a-z]+)-([A-Z][A-Za-z]+)\b/;

/** Flags of the form `--name=value`, `--name value`, `-n value`, `-Name value`; a flag alone is "". */
function readFlags(list: Token[], from: number, flags: Map<string, string>, rest: string[]): void {
  for (let i = from; i < list.length; i++) {
    const { text, quoted } = list[i]!;
    if (text === '|') break;
    if (!quoted && text === '--') {
      rest.push(...list.slice(i + 1).map((t) => t.text));
      return;
    }
    const flag = quoted ? undefined : /^--?([A-Za-z][\w-]*)(?:=(.*))?$/.exec(text);
    if (!flag) {
      rest.push(text);
      continue;
    }
    const key = flag[1]!.toLowerCase();
    if (flag[2] !== undefined) flags.set(key, flag[2].replace(/^["']|["']$/g, ''));
    else {
      const next = list[i + 1];
      if (next && next.text !== '|' && (next.quoted || !/^--?[A-Za-z]/.test(next.text))) {
        flags.set(key, next.text);
        i++;
      } else flags.set(key, '');
    }
  }
}

function kubectl(line: string): Command | undefined {
  const list = tokens(line.replace(KUBECTL, ''));
  const flags = new Map<string, string>();
  const words: string[] = [];
  readFlags(list, 0, flags, words);
  const dashDash = list.findIndex((t) => !t.quoted && t.text === '--');
  const after = dashDash < 0 ? [] : list.slice(dashDash + 1).map((t) => t.text);
  const positional = words.slice(0, words.length - after.length);
  let verb = (positional[0] ?? '').toLowerCase();
  let at = 1;
  // Two-word verbs: `rollout undo`, `auth can-i`, `set alias`.
  if ((verb === 'rollout' || verb === 'auth' || verb === 'set') && positional[1]) {
    const second = positional[1].toLowerCase();
    if (verb !== 'auth' || kindOf(second)) {
      verb = `${verb} ${second}`;
      at = 2;
    }
  }
  if (verb === 'help' || flags.has('help')) return { verb: 'help', kind: 'help', flags, rest: [] };
  if (verb === 'auth whoami' || verb === 'auth can-i') return { verb, kind: 'identity', flags, rest: [] };
  if (verb === 'auth link' || verb === 'link')
    return { verb: 'link', kind: 'link', name: positional[at], flags, rest: [] };
  if (verb === 'top') {
    // `kubectl top svc chatops-service`, `kubectl top ml-service`: usage of a service.
    const target = positional.slice(at).filter((w) => !/^(?:svc|services?)$/i.test(w));
    if (target.length === 0 && !flags.has('n') && !flags.has('namespace')) return undefined;
    if (target.some((w) => /^(?:pods?|po|nodes?|no)$/i.test(w))) return undefined;
    return { verb, kind: 'metrics', name: target[0], flags, rest: [] };
  }
  if (verb === 'set alias') {
    // `kubectl set alias prd model/churn-predictor --version=13`: the alias, then the model.
    const [alias, ...more] = positional.slice(at);
    if (alias && !flags.has('alias')) flags.set('alias', alias);
    return { verb: 'promote', kind: 'model', ...resource(more), flags, rest: [] };
  }
  // `kubectl run predict --model=…`, `kubectl exec model/x -- predict …`: the words name the act.
  const resourceAt = positional.slice(at);
  const found = resource(resourceAt);
  if (!found.kind) {
    if (verb === 'run' && /^predict(?:ion)?$/i.test(resourceAt[0] ?? ''))
      return { verb: 'predict', kind: 'model', flags, rest: [...resourceAt.slice(1), ...after] };
    if (verb === 'describe' && /^(?:svc|services?)$/i.test(resourceAt[0] ?? '') && flags.has('health'))
      return { verb, kind: 'health', name: resourceAt[1], flags, rest: [] };
    if (verb === 'get' && /^(?:svc|services?)$/i.test(resourceAt[0] ?? '') && flags.has('health'))
      return { verb, kind: 'health', name: resourceAt[1], flags, rest: [] };
    return undefined;
  }
  return { verb, kind: found.kind, name: found.name, flags, rest: [...found.rest, ...after] };
}

/** The resource the verb acts on, first after it: `alert/4f2b`, `alerts`, `model ltv-scorer`, `status svc/x`. */
function resource(words: string[]): { kind?: Kind; name?: string; rest: string[] } {
  const [noun, slashed] = (words[0] ?? '').split('/', 2) as [string, string | undefined];
  const kind = kindOf(noun);
  if (!kind) return { rest: [] };
  let name = slashed;
  let next = 1;
  if (name === undefined && words[1] !== undefined) {
    // `status svc/payments-api`: the service is named by its own resource.
    const [n2, s2] = words[1].split('/', 2);
    name = s2 !== undefined && /^(?:svc|services?|deploy(?:ment)?s?)$/i.test(n2!) ? s2 : words[1];
    next = 2;
  }
  return { kind, name, rest: words.slice(next) };
}

function cmdlet(line: string): Command | undefined {
  const head = CMDLET.exec(line);
  if (!head) return undefined;
  const verb = head[1]!.toLowerCase();
  const noun = head[2]!;
  const list = tokens(line.slice(head[0].length));
  const flags = new Map<string, string>();
  const rest: string[] = [];
  readFlags(list, 0, flags, rest);
  // `| Where-Object { $_.Rule -eq 'KafkaLagHigh' }`: a filter on one property reads as that flag.
  const filter =
    /\|\s*(?:Where-Object|Where|\?)\s*\{\s*\$_\.(\w+)\s+-(?:eq|like|match)\s+['"]?([^'"}\s]+)/i.exec(line);
  if (filter) flags.set(filter[1]!.toLowerCase(), filter[2]!);
  const kind = kindOf(noun) ?? (/^(?:service|svc)$/i.test(noun) && verb !== 'restart' ? 'health' : undefined);
  if (!kind) return undefined;
  // `Set-AlertState -State Acknowledged`: the state says what is done.
  const state = flags.get('state')?.toLowerCase();
  const action = state ? `${verb} ${state}` : verb;
  return { verb: action, kind, name: flags.get('name'), flags, rest };
}

// Flags by what they mean here, either tool's spelling (lower-cased, without dashes).
const FLAG_MEANS: Record<string, string> = {
  n: 'service',
  namespace: 'service',
  service: 'service',
  svc: 'service',
  severity: 'severity',
  sev: 'severity',
  s: 'severity',
  priority: 'severity',
  duration: 'for',
  for: 'for',
  d: 'for',
  ttl: 'for',
  expires: 'for',
  since: 'window',
  window: 'window',
  last: 'window',
  range: 'window',
  period: 'window',
  user: 'user',
  u: 'user',
  by: 'user',
  actor: 'user',
  code: 'code',
  m: 'comment',
  comment: 'comment',
  message: 'comment',
  reason: 'comment',
  note: 'comment',
  metric: 'signal',
  signal: 'signal',
  model: 'model',
  version: 'version',
  'to-version': 'version',
  revision: 'version',
  'to-revision': 'version',
  alias: 'alias',
  to: 'alias',
  stage: 'alias',
  rule: 'alert',
  alert: 'alert',
  alertname: 'alert',
  name: 'name',
  id: 'id',
  alertid: 'id',
  silenceid: 'id',
  input: 'features',
  inputs: 'features',
  features: 'features',
  values: 'features',
};

const ID = /^#?(?=[a-z_]*\d)[0-9a-z_]{1,24}$/i;
// The kind written before a name (`svc/payments-api`, `model/iris`).
const RESOURCE_PREFIX = /^(?:svc|service|model|alert|silence)\//i;

/** The intent of a command on a resource, by its verb; undefined for a verb this bot has no act for. */
function intentOf(command: Command): string | undefined {
  const v = command.verb;
  switch (command.kind) {
    case 'help':
      return 'help';
    case 'identity':
      return 'whoami';
    case 'link':
      return 'link';
    case 'health':
      return /^(?:get|describe|test|show|check|find)\b/.test(v) ? 'status' : undefined;
    case 'metrics':
      return /^(?:get|top|describe|show|measure|watch)\b/.test(v) ? 'metrics' : undefined;
    case 'audit':
      return /^(?:get|logs|describe|search|show|find|read)\b/.test(v) ? 'history' : undefined;
    case 'alert':
      if (/^(?:get|describe|list|show|find|watch)$/.test(v)) return 'alerts.list';
      if (/^(?:ack|acknowledge|annotate|set acknowledged|confirm|approve|claim)\b/.test(v))
        return 'alerts.ack';
      if (/^(?:silence|mute|snooze|suspend|disable|set silenced|set muted)\b/.test(v))
        return 'alerts.silence';
      if (/^(?:unsilence|unmute|enable|resume|set active)\b/.test(v)) return 'alerts.unsilence';
      return undefined;
    case 'silence':
      if (/^(?:new|add|create|invoke|start|apply|set)$/.test(v) && !command.flags.has('expire'))
        return 'alerts.silence';
      if (/^(?:delete|remove|clear|stop|expire|rm|end|undo|set)\b/.test(v)) return 'alerts.unsilence';
      return undefined;
    case 'model':
      if (
        /^(?:predict|invoke|exec|run|test)\b/.test(v) ||
        /^(?:prediction|inference)$/i.test(command.name ?? '')
      )
        return v === 'get' && command.rest.length === 0 ? 'models.list' : 'models.predict';
      if (/^(?:get|describe|list|show|find)$/.test(v)) return 'models.list';
      if (/^(?:promote|move|publish|set|label|tag|patch)\b/.test(v)) return 'models.promote';
      if (/^(?:rollout undo|rollback|undo|restore|revert)\b/.test(v)) return 'models.rollback';
      return undefined;
  }
}

/**
 * This bot's strict form of a command written as kubectl or PowerShell writes one (`alerts ack --id
 * 4f2b -m 'looking'`), or undefined when the message is not such a command on something this bot has.
 *
 * @example fromCliDialect('kubectl get alerts -n gateway --severity=warning') // 'alerts list --service gateway --severity warning'
 */
export function fromCliDialect(message: string): string | undefined {
  if (message.includes('\n')) return undefined;
  const command = KUBECTL.test(message) ? kubectl(message) : cmdlet(message);
  return command && strictForm(command);
}

/** The strict form of a command on a resource of this bot's; undefined for an act it has none for. */
function strictForm(command: Command): string | undefined {
  const intent = intentOf(command);
  if (!intent) return undefined;
  const parts: string[] = [intent.replace('.', ' ')];
  // A service or user named with the resource stands first, where the strict form reads the
  // command's main parameter (`metrics error_ratio`, a signal, is then taken as what it is).
  const bare = command.name?.replace(RESOURCE_PREFIX, '');
  if (bare && (command.kind === 'health' || command.kind === 'metrics')) parts.push(bare);
  const add = (flag: string, value: string | undefined) => {
    if (value === undefined || value === '') return;
    // Words in quotes, as the strict form takes a note: double quotes where the words hold an
    // apostrophe ("don't page me"), whose own double quotes then go.
    if (!/[\s'"]/.test(value)) parts.push(flag, value);
    else if (!value.includes("'")) parts.push(flag, `'${value}'`);
    else parts.push(flag, `"${value.replace(/"/g, '')}"`);
  };
  let name = command.name;
  const features: string[] = [];
  for (const [key, value] of command.flags) {
    const means = FLAG_MEANS[key];
    if (means === 'name') name ??= value;
    // ("#1,337": an id written with a thousands separator.)
    else if (means === 'id') add('--id', value.replace(/^#/, '').replace(/(?<=\d),(?=\d{3}\b)/g, ''));
    else if (means === 'features') features.push(...value.split(/[\s,;]+/));
    else if (means === 'for') {
      if (!/^now$/i.test(value)) add('--for', value);
    } else if (key === 'l' || key === 'selector') {
      // `-l alertname=HighErrorRatio`, `-l alias=stg`: a label selector names the flag it filters on.
      for (const pair of value.split(',')) {
        const [k, v] = pair.split('=', 2);
        const m = FLAG_MEANS[(k ?? '').toLowerCase()];
        if (m && v) add(`--${m}`, v);
      }
    } else if (means === 'comment') add('-m', value);
    else if (means) add(`--${means}`, value);
  }
  if (name !== undefined && command.kind !== 'health' && command.kind !== 'metrics') {
    const named = name.replace(RESOURCE_PREFIX, '');
    if (command.kind === 'alert' || command.kind === 'silence') {
      if (ID.test(named)) add('--id', named.replace(/^#/, ''));
      else if (command.kind === 'alert') add('--alert', named);
    } else if (command.kind === 'model' && !/^(?:predict|prediction|inference)$/i.test(named))
      add('--model', named);
    else if (command.kind === 'link') add('--code', named);
    else if (command.kind === 'audit' && !/^(?:audit|chatops)$/i.test(named)) add('--user', named);
  }
  if (intent === 'models.predict') {
    const values = [...features, ...command.rest.filter((w) => !/^predict(?:ion)?$/i.test(w))]
      .map((w) => w.replace(/,$/, ''))
      .filter((w) => /^-?\d+(?:\.\d+)?$/.test(w));
    if (values.length > 0) add('--features', values.join(','));
  }
  // `annotate alert 19 ack=true`: the id may stand after the resource word alone.
  if (
    (intent === 'alerts.ack' || intent === 'alerts.silence') &&
    !parts.includes('--id') &&
    !parts.includes('--alert')
  ) {
    const id = command.rest.find((w) => ID.test(w) && /\d/.test(w));
    if (id) add('--id', id.replace(/^#/, ''));
  }
  return parts.join(' ');
}

// A model and one of its versions as a version-control tool writes them: `churn-predictor@v15`,
// `eta-regressor/v5`, or a name with `vN` after it.
const GIT_MODEL_REF = /(?:^|\s)([a-z][\w.-]*?)(?:@v?|\/v)(\d{1,4})\b|(?:^|\s)([a-z][\w.-]*)\s+v(\d{1,4})\b/i;
const GIT = /^\s*\$?\s*git\s+(revert|reset|push|merge|cherry-pick|log|tag|branch|show)\b(.*)$/i;

/**
 * A model asked about in git's words, as one who lives in git writes to this bot ("git revert
 * churn-predictor@v15", "git merge eta-regressor/v5 into challenger", "git log --author=priya
 * --since='2 days'", "git tag -l | grep iris"): the same request in plain words, read like any
 * other. Undefined for a git command on anything else ("git revert HEAD~1" alone, "git push origin
 * main"): a command pasted, which this bot does not run.
 *
 * @example fromGit('git revert churn-predictor@v15', isModel) // 'rollback churn-predictor'
 */
export function fromGit(message: string, namesModel: (text: string) => boolean): string | undefined {
  if (message.includes('\n')) return undefined;
  const git = GIT.exec(message);
  if (!git) return undefined;
  const verb = git[1]!.toLowerCase();
  let rest = git[2]!;
  // Where a change goes: `…:refs/aliases/canary`, `into challenger`, `on prod`.
  const alias = /(?::refs\/(?:aliases|heads|tags)\/|\s(?:into|onto|to|on)\s+)([a-z][\w-]*)/i.exec(rest)?.[1];
  const author = /--author[=\s]+["']?([^"'\s]+)/i.exec(rest)?.[1];
  const note = /\s-m\s+("[^"]*"|'[^']*')/.exec(rest)?.[1];
  const since = /--since[=\s]+["']?([^"']+?)["']?(?=\s+-|\s+for\b|,|$)/i.exec(rest)?.[1]?.replace(/\./g, ' ');
  rest = rest
    .replace(/\s--?[a-z][\w-]*(?:=(?:"[^"]*"|'[^']*'|\S+))?/gi, ' ')
    .replace(/\b(?:HEAD(?:~\d+|\^+)?|origin)\b/g, ' ')
    .replace(/:refs\/\S+/g, ' ')
    .replace(/\|\s*grep\s+/g, ' ');
  if (verb === 'log' && author) return `history of ${author}${since ? ` for the last ${since}` : ''}`;
  if (verb === 'log' && since && /\b(?:bot|who)\b/i.test(rest)) return `history for the last ${since}`;
  const ref = GIT_MODEL_REF.exec(rest);
  const model = ref?.[1] ?? ref?.[3];
  const version = ref?.[2] ?? ref?.[4];
  // (A lone name with a mark inside, as models are named: "git log --oneline eta-regressor".)
  if (!ref && !namesModel(rest) && !/^\s*(?:for\s+)?[a-z][\w.]*[-_.][\w.-]+\s*$/i.test(rest))
    return undefined;
  const named = model ?? rest.replace(/^\s*for\s+/i, '').trim();
  const noted = note ? ` -m ${note}` : '';
  // A commit reverted is undone (the version before it comes back); a reset goes to the one named.
  if (verb === 'revert') return `rollback ${named}${alias ? ` on ${alias}` : ''}${noted}`;
  if (verb === 'reset')
    return `rollback ${model ? `${model} to v${version}` : named}${alias ? ` on ${alias}` : ''}${noted}`;
  const where = alias && !/^(?:main|master)$/i.test(alias) ? ` to ${alias}` : '';
  if (verb === 'push' || verb === 'merge' || verb === 'cherry-pick')
    return `promote ${model ? `${model} v${version}` : named}${where}${noted}`;
  return `list the versions of ${named}`;
}

// A request to this bot's API as people paste or type one: `curl -X POST opsmesh/alerts/a9c2/ack`,
// `GET /alerts?severity=critical`, `curl -s "opsmesh/metrics?svc=recsys-api&sig=cpu&win=2h" | jq …`,
// `POST /models/iris-classifier/aliases/staging {"version": 8}`.
const HTTP_CALL =
  /^\s*(?:curl\b(?<flags>(?:\s+-[-\w]+(?:\s+(?:"[^"]*"|'[^']*'|[A-Z]+))?)*)\s+["']?(?<url>(?:https?:\/\/)?[\w.:-]*\/[^\s"'|]*)["']?|(?<method>GET|POST|PUT|PATCH|DELETE)\s+(?<path>(?:https?:\/\/[\w.:-]+)?\/[^\s"'|]*))(?<rest>[^|#\n]*)/;
const PREDICT_PATH = /^(?:predict(?:ions?)?|score)$/i;
// What a path's words are, by resource.
const PATH_KINDS: [RegExp, Kind][] = [
  [/^(?:alerts?)$/i, 'alert'],
  [/^(?:silences?)$/i, 'silence'],
  [/^(?:models?|registry)$/i, 'model'],
  [PREDICT_PATH, 'model'],
  [/^(?:promote|rollback)$/i, 'model'],
  [/^(?:metrics?|stats)$/i, 'metrics'],
  [/^(?:history|audit|events|activity)$/i, 'audit'],
  [/^(?:link|accounts?)$/i, 'link'],
  [/^(?:me|whoami|identity|roles)$/i, 'identity'],
  [/^(?:health|healthz|status)$/i, 'health'],
  [/^(?:help)$/i, 'help'],
];
// Short keys an API may take, as the flags above name them.
const PARAM_MEANS: Record<string, string> = {
  sig: 'signal',
  win: 'window',
  mins: 'for',
  why: 'comment',
  x: 'features',
};

/** A query value as written when its escapes are broken ("%E0%A4%A"): read as typed, never thrown. */
function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The values a request carries: query parameters, a form body, or a JSON body (one level down too). */
function params(query: string, body: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  const put = (key: string, value: unknown) => {
    if (value === null || value === undefined || (typeof value === 'object' && !Array.isArray(value))) return;
    out.set(key.toLowerCase().replace(/_/g, ''), Array.isArray(value) ? value.join(',') : String(value));
  };
  for (const pair of query.split('&')) {
    const [k, v] = pair.split('=', 2);
    if (k && v !== undefined) put(k, decoded(v.replace(/\+/g, ' ')));
  }
  const text = body?.trim().replace(/^['"]|['"]$/g, '');
  if (!text) return out;
  if (text.startsWith('{')) {
    try {
      const json = JSON.parse(text) as Record<string, unknown>;
      for (const [k, v] of Object.entries(json)) {
        if (v && typeof v === 'object' && !Array.isArray(v))
          for (const [k2, v2] of Object.entries(v)) put(k2, v2);
        else put(k, v);
      }
    } catch {
      return out;
    }
  } else for (const [k, v] of params(text, undefined)) out.set(k, v);
  return out;
}

/**
 * A request written as a call to this bot's API ("curl -X POST opsmesh/alerts/a9c2/ack", "GET
 * /alerts?severity=critical", "curl -X DELETE opsmesh/silences/sil_7q3m | jq .status") in its
 * strict form; undefined for a call to anything else.
 *
 * @example fromApiCall('curl -X POST opsmesh/alerts/a9c2/ack') // 'alerts ack --id a9c2'
 */
export function fromApiCall(message: string): string | undefined {
  if (message.includes('\n')) return undefined;
  const m = HTTP_CALL.exec(message);
  if (!m?.groups) return undefined;
  const g = m.groups;
  const curlFlags = g.flags ?? '';
  const method = (
    g.method ??
    /-X\s+([A-Z]+)/.exec(curlFlags)?.[1] ??
    (/\s-d\b|--data/.test(curlFlags + (g.rest ?? '')) ? 'POST' : 'GET')
  ).toUpperCase();
  const url = (g.url ?? g.path)!;
  // This bot's API: a path alone, or a host that names it (`opsmesh/…`, the gateway, loopback);
  // a call to another site's `/api/status` is not a request of this bot's.
  const host = /^(?:https?:\/\/)?([^/]*)/.exec(url)?.[1] ?? '';
  if (host !== '' && !/opsmesh|ops|gateway|gw|localhost|127\.0\.0\.1|\[::1\]/i.test(host)) return undefined;
  const [path, query = ''] = url.replace(/^(?:https?:\/\/)?[^/]*/, '').split('?', 2);
  const words = path!.split('/').filter(Boolean);
  const at = words.findIndex((w) => PATH_KINDS.some(([re]) => re.test(w)));
  if (at < 0) return undefined;
  const kind = PATH_KINDS.find(([re]) => re.test(words[at]!))![1];
  const resourceWord = words[at]!.toLowerCase();
  const after = words.slice(at + 1);
  const body =
    /(?:-d|--data(?:-raw)?)\s+("[^"]*"|'[^']*'|\S+)/.exec(`${curlFlags} ${g.rest ?? ''}`)?.[1] ??
    /\{.*\}/.exec(g.rest ?? '')?.[0];
  const values = params(query, body);
  const flags = new Map<string, string>();
  for (const [k, v] of values) flags.set(PARAM_MEANS[k] ?? k, v);
  const last = (after.at(-1) ?? '').toLowerCase();
  let verb = method === 'GET' ? 'get' : method === 'DELETE' ? 'delete' : 'new';
  let name = after[0];
  if (kind === 'alert' && ['ack', 'acknowledge', 'silence', 'unsilence'].includes(last)) {
    verb = last;
    name = after.length > 1 ? after[0] : undefined;
  }
  if (kind === 'model') {
    const aliasAt = after.findIndex((w) => /^(?:aliases|alias|stages?)$/i.test(w));
    if (aliasAt > 0 && after[aliasAt + 1]) flags.set('alias', after[aliasAt + 1]!);
    const versionAt = after.findIndex((w) => /^versions?$/i.test(w));
    if (versionAt > 0 && /^\d+$/.test(after[versionAt + 1] ?? ''))
      flags.set('version', after[versionAt + 1]!);
    if (/^(?:promote|rollback)$/.test(resourceWord)) verb = resourceWord;
    else if (last === 'rollback' || last === 'promote') verb = last;
    else if (PREDICT_PATH.test(resourceWord) || last === 'predict') verb = 'predict';
    else if (aliasAt > 0 && method !== 'GET') verb = 'promote';
    else if (method !== 'GET') return undefined;
    if (
      verb !== 'get' &&
      verb !== 'delete' &&
      (name === undefined || /^(?:predict|promote|rollback|aliases)$/i.test(name))
    )
      name = undefined;
  }
  if (kind === 'silence' && method === 'GET') return undefined;
  // (`GET /services/inference/health`: the service named before what is asked of it.)
  if (
    (kind === 'health' || kind === 'metrics') &&
    name === undefined &&
    /^(?:services?|svc)$/i.test(words[at - 2] ?? '')
  )
    name = words[at - 1];
  if (kind === 'link') name = flags.get('code') ?? name;
  // What a jq filter after the call selects on (`| jq '.[] | select(.user=="yusuf")'`) is asked too.
  for (const [, key, value] of message.slice(m[0].length).matchAll(/\.(\w+)\s*==\s*"([^"]+)"/g))
    if (!flags.has(key!))
      flags.set(key!.toLowerCase() === 'name' && kind === 'alert' ? 'alert' : key!, value!);
  return strictForm({ verb, kind, name, flags, rest: [] });
}

// A command written as a JSON object of one command key: `{"ack": "6e0a", "note": "…"}`,
// `{"history": {"user": "pedro.m", "window": "12h"}}`, `{"whoami": true}`.
const JSON_COMMANDS: Record<string, { kind: Kind; verb: string; main?: string }> = {
  ack: { kind: 'alert', verb: 'ack', main: 'id' },
  acknowledge: { kind: 'alert', verb: 'ack', main: 'id' },
  silence: { kind: 'alert', verb: 'silence', main: 'id' },
  mute: { kind: 'alert', verb: 'silence', main: 'id' },
  snooze: { kind: 'alert', verb: 'silence', main: 'id' },
  unsilence: { kind: 'silence', verb: 'delete', main: 'id' },
  unmute: { kind: 'silence', verb: 'delete', main: 'id' },
  alerts: { kind: 'alert', verb: 'get', main: 'service' },
  promote: { kind: 'model', verb: 'promote', main: 'model' },
  rollback: { kind: 'model', verb: 'rollback', main: 'model' },
  predict: { kind: 'model', verb: 'predict', main: 'model' },
  models: { kind: 'model', verb: 'get', main: 'model' },
  history: { kind: 'audit', verb: 'get', main: 'user' },
  whoami: { kind: 'identity', verb: 'get' },
  status: { kind: 'health', verb: 'get', main: 'service' },
  health: { kind: 'health', verb: 'get', main: 'service' },
  metrics: { kind: 'metrics', verb: 'get', main: 'service' },
  link: { kind: 'link', verb: 'link', main: 'code' },
  help: { kind: 'help', verb: 'help' },
};

/**
 * A command written as a JSON object with one command key ("{"ack": "6e0a", "note": "schema change
 * from my PR"}", "{"rollback": {"model": "fraud", "alias": "challenger"}}") in its strict form;
 * undefined for any other text or object.
 *
 * @example fromJsonCommand('{"whoami": true}') // 'whoami'
 */
export function fromJsonCommand(message: string): string | undefined {
  const text = message.trim();
  if (!text.startsWith('{') || !text.endsWith('}')) return undefined;
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const keys = Object.keys(json).filter((k) => JSON_COMMANDS[k.toLowerCase()]);
  if (keys.length !== 1) return undefined;
  const key = keys[0]!;
  const command = JSON_COMMANDS[key.toLowerCase()]!;
  const value = json[key];
  const rest = Object.fromEntries(Object.entries(json).filter(([k]) => k !== key));
  const body = value && typeof value === 'object' && !Array.isArray(value) ? { ...rest, ...value } : rest;
  const flags = params('', JSON.stringify(body));
  for (const [k, v] of [...flags]) if (PARAM_MEANS[k]) flags.set(PARAM_MEANS[k]!, v);
  let name: string | undefined;
  if ((typeof value === 'string' || typeof value === 'number') && command.main) {
    if (command.main === 'id' || command.main === 'code' || command.main === 'model') name = String(value);
    else flags.set(command.main, String(value));
  }
  return strictForm({ verb: command.verb, kind: command.kind, name, flags, rest: [] });
}
