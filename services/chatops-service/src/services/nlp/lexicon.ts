/**
 * The live vocabulary entity extraction matches against. Services come from discovery, models and
 * aliases from the ML registry, alert names from the monitoring service's rules; callers refresh it.
 */
export interface Lexicon {
  services: readonly string[];
  models: readonly string[];
  aliases: readonly string[];
  alerts: readonly string[];
  signals: readonly string[];
  /** Kinds whose names are the live registries' own (so a name not among them does not exist). */
  live?: Partial<Record<'service' | 'model' | 'alert', boolean>>;
}

/** Entities as one flat object, keys present only where the text gives them. */
export interface Entities {
  service?: string;
  model?: string;
  alias?: string;
  version?: number;
  features?: number[];
  signal?: string;
  window?: string;
  duration?: string;
  alert?: string;
  alert_id?: string;
  silence_id?: string;
  severity?: string;
  comment?: string;
  user?: string;
  code?: string;
}

export type EntityKey = keyof Entities;

export const DEFAULT_LEXICON: Lexicon = {
  services: ['auth-service', 'ml-service', 'monitoring-service', 'chatops-service', 'gateway'],
  models: ['iris-classifier'],
  aliases: ['production', 'staging', 'canary', 'champion', 'challenger', 'shadow'],
  alerts: ['ServiceDown', 'HighErrorRatio', 'HighLatencyP99', 'ErrorBudgetBurnFast', 'ErrorBudgetBurnSlow'],
  signals: [
    'request_rate',
    'error_ratio',
    'latency_p50',
    'latency_p95',
    'latency_p99',
    'availability',
    'saturation',
  ],
};

/**
 * Everyday names of signals, by canonical name: the metric names people type, the words they use
 * for them on a bad night ("how slow", "how hot is the CPU"). Multi-word phrases match whole tokens.
 */
export const SIGNAL_SYNONYMS: Record<string, readonly string[]> = {
  latency_p99: [
    'p99',
    'p99 latency',
    'latency p99',
    '99th percentile',
    '99th percentile latency',
    '99th',
    'tail latency',
    'latency',
    'slow',
    'slowness',
    'sluggish',
    'laggy',
    'lag',
    'response time',
    'response times',
    'how fast',
    'fast',
    'speed',
    'latencies',
    'tail latencies',
    'snappy',
    'snappiness',
    'responsive',
  ],
  latency_p95: ['p95', 'p95 latency', 'latency p95', '95th percentile', '95th percentile latency', '95th'],
  latency_p50: [
    'p50',
    'p50 latency',
    'latency p50',
    'median latency',
    'median',
    'median response time',
    '50th percentile',
  ],
  error_ratio: [
    'error rate',
    'error_rate',
    'errors',
    'error ratio',
    'error percent',
    'percent errors',
    'failure rate',
    '5xx rate',
    '5xx',
    '5xxs',
    '500s',
    'errs',
    'err',
    'failures',
    'erroring',
    'failing requests',
    'error percentage',
    'err rate',
    'err ratio',
    'error pct',
    '5xx ratio',
    'failing',
    'fail rate',
    'fraction of requests',
    'share of requests',
    'percentage of requests',
    'proportion of requests',
  ],
  request_rate: [
    'request rate',
    'request volume',
    'traffic volume',
    'requests per second',
    'requests',
    'rps',
    'throughput',
    'thruput',
    'qps',
    'traffic',
    'req rate',
    'reqs',
    'req per second',
    'reqs per second',
  ],
  availability: ['uptime', 'up time', 'availability', 'how available', 'sla', 'slo', 'slos', 'sli'],
  saturation: [
    'saturation',
    'load',
    'loaded',
    'busy',
    'cpu',
    'hot',
    'memory',
    'mem',
    'resource usage',
    'memory pressure',
    'memory usage',
    'cpu usage',
    'utilization',
    'utilisation',
    'event loop lag',
    'saturated',
    'maxed out',
  ],
};

export const SEVERITY_SYNONYMS: Record<string, string> = {
  critical: 'critical',
  criticals: 'critical',
  crit: 'critical',
  crits: 'critical',
  sev1: 'critical',
  p1: 'critical',
  // Alerts worth waking someone for.
  'page-worthy': 'critical',
  pageworthy: 'critical',
  pageable: 'critical',
  p2: 'warning',
  p3: 'info',
  warning: 'warning',
  warnings: 'warning',
  warn: 'warning',
  sev2: 'warning',
  sev3: 'info',
  info: 'info',
  informational: 'info',
};

export const ALIAS_SYNONYMS: Record<string, string> = {
  prod: 'production',
  prd: 'production',
  stage: 'staging',
  stg: 'staging',
  cnry: 'canary',
  canaries: 'canary',
  challengers: 'challenger',
  champions: 'champion',
  champ: 'champion',
};

/**
 * "ship fraud v12 to live", "roll back churn on live": "live" names the production alias after a
 * word that places a model in one; alone it is everyday ("go live with iris v3" names none).
 */
export const ALIAS_PHRASES: Record<string, string> = Object.fromEntries([
  ...['to', 'on', 'in', 'into', 'onto'].map((word) => [`${word} live`, 'production']),
  // "the live version of churn", "churn's live alias", "which version of fraud is live",
  // "revert payments-scorer live to version 1": live as the alias a version is on.
  ...['live version', 'live ver', 'live alias', 'is live', 'live to', 'live one'].map((p) => [
    p,
    'production',
  ]),
]);

/** Short names of services people use beside `<short>` and `<short> service`. */
export const SERVICE_SYNONYMS: Record<string, string> = {
  gw: 'gateway',
  mon: 'monitoring-service',
  authentication: 'auth-service',
  edge: 'gateway',
  ingress: 'gateway',
  prometheus: 'monitoring-service',
  prom: 'monitoring-service',
  logins: 'auth-service',
  login: 'auth-service',
  sso: 'auth-service',
  'model-serving': 'ml-service',
};

/** What people call a service by what it does ("the login thing", "the model server"). */
export const SERVICE_PHRASES: Record<string, string> = Object.fromEntries([
  // "oath service": auth as speech-to-text hears it.
  ...[
    'oath service',
    'login service',
    'login thing',
    'login system',
    'login server',
    'sign-in service',
    'sso service',
    'login page',
    'sign-in page',
  ].map((p) => [p, 'auth-service']),
  ...[
    'model server',
    'model service',
    'model serving',
    'inference service',
    'inference server',
    'prediction service',
    'ai service',
    'ml platform',
    'model box',
    'model place',
    'model hosting',
    'model serving box',
    'serves the models',
    'serves models',
    'scoring api',
    'scoring service',
    'prediction api',
    'inference api',
    // The old app's route named as a part: "the /predict endpoint", "the predict endpoint".
    'predict endpoint',
    'prediction endpoint',
    'inference endpoint',
    'scoring endpoint',
  ].map((p) => [p, 'ml-service']),
  ...['api gateway', 'edge proxy'].map((p) => [p, 'gateway']),
  // "the login side", "the inference side", "prom side": a part of the system named by its side.
  ...['login side', 'auth side'].map((p) => [p, 'auth-service']),
  ...['inference side', 'ml side', 'model side'].map((p) => [p, 'ml-service']),
  ...['prom side', 'monitoring side'].map((p) => [p, 'monitoring-service']),
  ...['gateway side', 'edge side'].map((p) => [p, 'gateway']),
  ...['alerting service', 'metrics service'].map((p) => [p, 'monitoring-service']),
]);

/** Which entity keys each intent takes; the rest are dropped so a stray number is not a parameter. */
export const INTENT_ENTITY_KEYS: Record<string, readonly EntityKey[]> = {
  help: [],
  whoami: [],
  unknown: [],
  link: ['code'],
  confirm: ['code'],
  cancel: ['code'],
  status: ['service'],
  metrics: ['service', 'signal', 'window'],
  'alerts.list': ['service', 'severity', 'window', 'alert'],
  'alerts.ack': ['alert', 'alert_id', 'comment', 'service', 'severity'],
  'alerts.silence': ['alert', 'alert_id', 'duration', 'comment', 'service', 'severity'],
  'alerts.unsilence': ['silence_id', 'alert_id', 'alert', 'comment', 'service'],
  'models.list': ['model', 'alias'],
  'models.predict': ['model', 'features', 'alias', 'version'],
  'models.promote': ['model', 'version', 'alias', 'comment'],
  'models.rollback': ['model', 'alias', 'version', 'comment'],
  history: ['user', 'window'],
};

/** Keeps only the keys the intent takes, mapping windows and durations to the one it uses. */
export function entitiesForIntent(intent: string, all: Entities, loneNumber?: number): Entities {
  const keys = INTENT_ENTITY_KEYS[intent];
  if (!keys) return all;
  const source: Entities = { ...all };
  const span = all.window ?? all.duration;
  if (span !== undefined) {
    delete source.window;
    delete source.duration;
    if (keys.includes('duration')) source.duration = span;
    else source.window = span;
  }
  if (source.version === undefined && loneNumber !== undefined) source.version = loneNumber;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (source[k] !== undefined) out[k] = source[k];
  return out as Entities;
}
