/**
 * Words that mean the same operation, grouped under one concept. The classifier gets a `k:` feature
 * for the concept as well as the word itself, so a verb it met once in training ("snooze") carries
 * what it learnt from its siblings ("mute", "silence"). General English, not tuned to any data split.
 */
const GROUPS: Record<string, readonly string[]> = {
  silence: [
    'silence',
    'mute',
    'snooze',
    'hush',
    'suppress',
    'quiet',
    'shush',
    'squelch',
    'silense',
    'silnce',
    'mte',
    'shh',
    'shhh',
    'stfu',
    'shutup',
    'supress',
  ],
  unsilence: [
    'unsilence',
    'unmute',
    'unsnooze',
    'unsilense',
    'resume',
    'reenable',
    'unhush',
    'unsuppress',
    'wake',
  ],
  // Removing something: the object says what ("nuke that silence", "delete the database").
  remove: [
    'remove',
    'delete',
    'drop',
    'nuke',
    'kill',
    'zap',
    'lift',
    'expire',
    'end',
    'cancel',
    'clear',
    'rid',
  ],
  acknowledge: [
    'ack',
    'ackk',
    'ak',
    'acknowledge',
    'acknowlege',
    'ackowledge',
    'claim',
    'own',
    'mine',
    'handle',
  ],
  rollback: [
    'rollback',
    'revert',
    'undo',
    'downgrade',
    'restore',
    'rolback',
    'roolback',
    'reverse',
    'previous',
    'old',
  ],
  promote: [
    'promote',
    'deploy',
    'release',
    'ship',
    'bump',
    'upgrade',
    'promte',
    'promot',
    'forward',
    'advance',
  ],
  predict: [
    'predict',
    'classify',
    'score',
    'infer',
    'inference',
    'prediction',
    'preditc',
    'classfy',
    'feed',
    'evaluate',
  ],
  list: ['list', 'lsit', 'enumerate', 'display', 'rundown', 'catalogue', 'catalog', 'inventory', 'every'],
  health: [
    'status',
    'stauts',
    'statsu',
    'health',
    'healthy',
    'alive',
    'running',
    'state',
    'down',
    'ok',
    'okay',
    'fine',
    'good',
    'ping',
    'pulse',
    'dead',
    'die',
    'died',
    'crashed',
    'broken',
    'working',
    'responding',
    'reachable',
    'ready',
    'green',
    'healthcheck',
    'unhealthy',
    'outage',
  ],
  measure: [
    'metric',
    'metrics',
    'graph',
    'chart',
    'plot',
    'measure',
    'trend',
    'trending',
    'numbers',
    'value',
  ],
  history: [
    'history',
    'hist',
    'histroy',
    'log',
    'audit',
    'recent',
    'recently',
    'lately',
    'activity',
    'issued',
    'ran',
    'did',
  ],
  help: [
    'help',
    'hepl',
    'hlep',
    'halp',
    'usage',
    'docs',
    'documentation',
    'explain',
    'examples',
    'lost',
    'manual',
  ],
  identity: [
    'whoami',
    'who',
    'identity',
    'role',
    'permission',
    'perms',
    'perm',
    'rights',
    'privileges',
    'account',
    'access',
    'admin',
    'operator',
    'viewer',
    'allowed',
    'permitted',
  ],
  alerting: [
    'alert',
    'alerts',
    'alrets',
    'alerst',
    'firing',
    'paging',
    'incident',
    'incidents',
    'problems',
    'alarm',
  ],
  modelling: ['model', 'models', 'modles', 'registry', 'serving', 'served', 'serve'],
  link: ['link', 'connect', 'pair', 'linking', 'bind'],
  // Things people ask a bot that this one does not do: everyday life, and operations it has no
  // command for. Shared evidence for "out of scope" beyond the words seen in training.
  offtopic: [
    'weather',
    'lunch',
    'dinner',
    'breakfast',
    'coffee',
    'pizza',
    'food',
    'recipe',
    'pasta',
    'cook',
    'cooking',
    'eat',
    'drink',
    'beer',
    'music',
    'song',
    'podcast',
    'movie',
    'joke',
    'poem',
    'flight',
    'hotel',
    'meeting',
    'calendar',
    'reminder',
    'email',
    'birthday',
    'vacation',
    'holiday',
    'game',
    'football',
    'news',
    'stock',
    'translate',
    'recommend',
  ],
  unsupported: [
    'restart',
    'reboot',
    'scale',
    'replicas',
    'pods',
    'kubectl',
    'ssh',
    'logs',
    'database',
    'backup',
    'migration',
    'ticket',
    'jira',
    'merge',
    'commit',
    'branch',
    'password',
    'docker',
    'terraform',
    'dashboard',
    'grafana',
  ],
};

const CONCEPT_OF = new Map<string, string>();
for (const [concept, words] of Object.entries(GROUPS)) for (const w of words) CONCEPT_OF.set(w, concept);

/**
 * The concept a word belongs to, if any, looking through common inflections (`muting`, `acked`,
 * `silences`) so that each form need not be listed.
 *
 * @example conceptOf('snoozing') // 'silence'
 */
export function conceptOf(word: string): string | undefined {
  const direct = CONCEPT_OF.get(word);
  if (direct !== undefined || word.length < 4) return direct;
  for (const stem of stems(word)) {
    const found = CONCEPT_OF.get(stem);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Whether a word is the past form of a known verb ("silenced", "acked", "rolled"). */
export function isPastForm(word: string): boolean {
  return /ed$/.test(word) && word.length >= 5 && conceptOf(word) !== undefined;
}

/** Candidate base forms: muting → mut, mute; acked → ack; silences → silence; rolling → roll. */
function stems(word: string): string[] {
  const out: string[] = [];
  for (const suffix of ['ing', 'ed', 'es', 's']) {
    if (!word.endsWith(suffix) || word.length - suffix.length < 2) continue;
    const base = word.slice(0, -suffix.length);
    out.push(base, `${base}e`);
    if (/([bcdfgklmnprtz])\1$/.test(base)) out.push(base.slice(0, -1));
  }
  return out;
}
