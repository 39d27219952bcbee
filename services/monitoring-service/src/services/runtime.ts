import {
  type ChangeWatch,
  type Database,
  type Discovery,
  type Lease,
  notifyChange,
  startLease,
  watchChanges,
} from '@opsmesh/shared';
import type { FastifyBaseLogger } from 'fastify';
import { Counter } from 'prom-client';
import { type MonitoringConfig, parseReceivers } from '../config.js';
import { createAlertRepository } from '../models/alert-repository.js';
import type { MonitoringDB } from '../models/db.js';
import { createNotificationRepository } from '../models/notification-repository.js';
import { createReceiverStatusRepository } from '../models/receiver-status-repository.js';
import { createRuleRepository } from '../models/rule-repository.js';
import { createSilenceRepository } from '../models/silence-repository.js';
import { createTargetRepository } from '../models/target-repository.js';
import { createTraceRepository } from '../models/trace-repository.js';
import { AlertService } from './alerting/alert-service.js';
import { AlertTracker } from './alerting/alert-state.js';
import { AlertingEngine } from './alerting/alerting-engine.js';
import { defaultRules } from './alerting/default-rules.js';
import { LocalExprEvaluator, PrometheusExprEvaluator } from './alerting/expr-evaluator.js';
import { NotificationGrouper } from './alerting/notification-grouper.js';
import { RuleService } from './alerting/rule-service.js';
import { SilenceService } from './alerting/silence-service.js';
import { SilenceSet } from './alerting/silences.js';
import { GatedEvaluator, StartGate } from './alerting/start-gate.js';
import { parseDuration } from './duration.js';
import { QueryEngine } from './metrics/query-engine.js';
import { SampleStore } from './metrics/sample-store.js';
import { Monitor } from './monitor.js';
import { AlertmanagerClient } from './notify/alertmanager-client.js';
import { OutboxDeliverer } from './notify/outbox-deliverer.js';
import { NO_RECEIVER_HINT, ReceiverDirectory } from './notify/receiver-directory.js';
import { PrometheusClient } from './prometheus/prometheus-client.js';
import { PromQLQueries } from './promql/query-service.js';
import { ReadinessPoller } from './scraping/readiness-poller.js';
import { Scraper } from './scraping/scraper.js';
import { LocalSignals } from './signals/local-signals.js';
import { LocalSignalSource, PrometheusSignalSource, type SignalSource } from './signals/signal-source.js';
import { TraceStore } from './traces/trace-store.js';

/** Rule and silence changes, announced to every replica of the service. */
export const CHANGES_CHANNEL = 'monitoring_changes';
/** The lease whose holder evaluates rules and delivers notifications. */
export const EVALUATOR_LEASE = 'monitoring-evaluator';

/** Bytes a series costs besides its samples, for turning the memory cap into a series cap. */
const SERIES_COST_BYTES = 600;

export interface MonitoringRuntime {
  store: SampleStore;
  query: QueryEngine;
  /** PromQL over the built-in store (`/query`, `/query_range` without Prometheus). */
  promql: PromQLQueries;
  signals: SignalSource;
  localSignals: LocalSignals;
  scraper: Scraper;
  readiness: ReadinessPoller;
  alerts: AlertService;
  rules: RuleService;
  silences: SilenceService;
  deliverer: OutboxDeliverer;
  prometheus: PrometheusClient | null;
  discovery: Discovery;
  monitor: Monitor;
  /** The built-in trace store (OTLP receiver, trace list and waterfall). */
  traces: TraceStore;
  /** This replica's name in the evaluator lease (its URL). */
  instance: string;
  /** Which targets are still in their start-up grace (not alerted on). */
  startGate: StartGate;
  /**
   * Targets in their start-up grace now, by URL, with when it ends: read from the database, so
   * every replica answers as the evaluator decides.
   */
  heldTargets(): Promise<Map<string, number>>;
  /** Where alerts go, for GET /notifications/receivers. */
  receivers: ReceiverDirectory;
  /** `opsmesh_notifications_dropped_total{reason}`, registered by the app's metrics. */
  droppedNotifications: Counter<'reason'>;
  /** One scrape of every target, recorded for the start gate: the periodic `scrape` task. */
  scrape(): Promise<void>;
  /** Whether this replica evaluates and notifies now, and which replica does. */
  evaluator(): Promise<{ here: boolean; holder: string | null }>;
  /**
   * Loads persisted state and the rules (installing the default pack on first start), follows
   * rule and silence changes made on other replicas, and joins the election of the evaluator.
   */
  init(): Promise<void>;
  /** Stops the periodic work, leaves the election and stops following changes. */
  stop(): Promise<void>;
}

export interface RuntimeDeps {
  config: MonitoringConfig;
  database: Database<MonitoringDB>;
  discovery: Discovery;
  logger: FastifyBaseLogger;
  now?: () => number;
  fetch?: typeof fetch;
  /** This replica's name in the evaluator lease; its URL in production. */
  instance?: string;
  /** How often a replica without the evaluator lease tries to take it (1 s). */
  leaseRetryMs?: number;
}

const scrapeResult = (s: { url: string; service: string; instance: string; up: boolean | null }) => ({
  url: s.url,
  service: s.service,
  instance: s.instance,
  up: s.up === true,
});

/** Builds every collaborator of the service from config; nothing starts until `monitor.start()`. */
export function createRuntime(deps: RuntimeDeps): MonitoringRuntime {
  const { config, database, discovery, logger } = deps;
  const now = deps.now ?? Date.now;
  const fetchImpl = deps.fetch ?? globalThis.fetch;
  const scrapeMs = parseDuration(config.SCRAPE_INTERVAL);
  const retentionMs = parseDuration(config.RETENTION);
  const capacity = Math.max(2, Math.ceil(retentionMs / scrapeMs) + 1);
  const store = new SampleStore({
    capacity,
    retentionMs,
    maxSeries: Math.max(1, Math.floor(config.STORE_MAX_BYTES / (capacity * 8 + SERIES_COST_BYTES))),
  });
  const query = new QueryEngine(store, { lookbackMs: Math.max(300_000, 2 * scrapeMs) });
  const budget = {
    eventLoopLagSeconds: config.SATURATION_LAG_SECONDS,
    residentMemoryBytes: config.SATURATION_MEMORY_BYTES,
  };
  const localSignals = new LocalSignals(query, budget);
  const prometheus = config.PROMETHEUS_URL
    ? new PrometheusClient({ url: config.PROMETHEUS_URL, timeoutMs: 10_000, fetch: fetchImpl })
    : null;
  const promSignals = prometheus ? new PrometheusSignalSource(prometheus, budget) : null;
  const signals: SignalSource = promSignals ?? new LocalSignalSource(localSignals);
  // Rules read the same source as the signals: Prometheus when configured, else the store.
  const ruleEvaluator = prometheus ? new PrometheusExprEvaluator(prometheus) : new LocalExprEvaluator(query);
  const compileOptions = { prometheus: prometheus !== null };
  const targets = createTargetRepository(database.db);
  const startGate = new StartGate(parseDuration(config.STARTUP_GRACE));
  const firingLabels = () =>
    engine.tracker
      .all()
      .filter((a) => a.state === 'firing')
      .map((a) => a.labels);
  const evaluator = new GatedEvaluator(ruleEvaluator, startGate, () => targets.watch(), firingLabels);
  const silenceSet = new SilenceSet();
  const resolvedRetentionMs = parseDuration(config.RESOLVED_RETENTION);
  const engine: AlertingEngine = new AlertingEngine(
    evaluator,
    new AlertTracker({ resolvedRetentionMs }),
    silenceSet,
    new NotificationGrouper({
      groupBy: config.GROUP_BY.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      groupWaitMs: parseDuration(config.GROUP_WAIT),
      groupIntervalMs: parseDuration(config.GROUP_INTERVAL),
      repeatIntervalMs: parseDuration(config.REPEAT_INTERVAL),
    }),
    compileOptions,
  );
  const evaluationMs = parseDuration(config.EVALUATION_INTERVAL);
  const notifications = createNotificationRepository(database.db);
  const ruleRepository = createRuleRepository(database.db, budget);
  const instance = deps.instance ?? `pid-${process.pid}`;
  let lease: Lease | null = null;
  let watch: ChangeWatch | null = null;
  const evaluatorLease = {
    get held() {
      return lease?.held ?? false;
    },
    fence: (trx: Parameters<Lease['fence']>[0]) =>
      lease ? lease.fence(trx) : Promise.reject(new Error('the evaluator lease was not started')),
  };
  const announce = (what: 'rules' | 'silences') => () => notifyChange(database.db, CHANGES_CHANNEL, what);
  const receiverList = parseReceivers(config.ALERT_RECEIVERS);
  const receiverStatus = createReceiverStatusRepository(database.db);
  const receivers = new ReceiverDirectory({
    receivers: receiverList,
    alertmanagerUrl: config.ALERTMANAGER_URL,
    status: receiverStatus,
  });
  const droppedNotifications = new Counter({
    name: 'opsmesh_notifications_dropped_total',
    help: 'Alert notifications that reached no one: no receiver configured, or a receiver passed them on nowhere',
    labelNames: ['reason'] as const,
    registers: [],
  });
  const alerts = new AlertService({
    engine,
    evaluator: evaluatorLease,
    alerts: createAlertRepository(database.db),
    notifications,
    receivers: receiverList,
    receiverStatus,
    dropped: (reason) => droppedNotifications.inc({ reason }),
    externalUrl: config.EXTERNAL_URL,
    now,
    logger,
    resolvedRetentionMs,
    alertmanager: config.ALERTMANAGER_URL
      ? new AlertmanagerClient({
          url: config.ALERTMANAGER_URL,
          timeoutMs: 5000,
          resendValidityMs: 4 * evaluationMs,
          externalUrl: config.EXTERNAL_URL,
          fetch: fetchImpl,
        })
      : undefined,
  });
  const rules = new RuleService(ruleRepository, (list) => alerts.setRules(list), now, announce('rules'), {
    ...compileOptions,
    budget,
    maxRules: config.RULES_MAX,
  });
  const silences = new SilenceService(
    createSilenceRepository(database.db),
    silenceSet,
    now,
    announce('silences'),
    config.SILENCES_MAX,
  );
  const scraper = new Scraper({
    discovery,
    store,
    timeoutMs: parseDuration(config.SCRAPE_TIMEOUT),
    maxBodyBytes: config.SCRAPE_MAX_BYTES,
    now,
    fetch: fetchImpl,
    // The targets the start gate holds: their failed scrapes are a start, not an outage.
    starting: async () => startGate.startingAt(await targets.watch(), now(), firingLabels()),
  });
  const readiness = new ReadinessPoller({
    discovery,
    timeoutMs: parseDuration(config.SCRAPE_TIMEOUT),
    windowMs: parseDuration(config.AVAILABILITY_WINDOW),
    graceMs: parseDuration(config.STARTUP_GRACE),
    now,
    fetch: fetchImpl,
  });
  const deliverer = new OutboxDeliverer({
    repository: notifications,
    timeoutMs: 10_000,
    backoff: { baseMs: 1000, maxMs: parseDuration(config.OUTBOX_BACKOFF_MAX) },
    now,
    fetch: fetchImpl,
    ...(config.ALERT_RECEIVER_TOKEN
      ? { headers: { authorization: `Bearer ${config.ALERT_RECEIVER_TOKEN}` } }
      : {}),
    status: receiverStatus,
    onNotPassedOn: (entry, detail) => {
      droppedNotifications.inc({ reason: 'not_passed_on' });
      logger.debug(
        { receiver: entry.receiver, notificationId: entry.id, detail, reason: 'not_passed_on' },
        'notification taken by its receiver but passed on nowhere; see GET /notifications/receivers',
      );
    },
  });
  // Every replica scrapes and records what it saw, so the start gate reads the same on each.
  const scrape = async () => {
    await scraper.scrapeAll();
    await targets.record(instance, now(), scraper.status().map(scrapeResult));
  };
  const monitor = new Monitor(
    [
      {
        name: 'scrape',
        intervalMs: scrapeMs,
        run: () => scrape(),
      },
      { name: 'readiness', intervalMs: scrapeMs, run: () => readiness.pollAll() },
      // Scrapes and readiness polls run on every replica: each answers /signals from its own
      // store. Evaluation and delivery run on the lease holder alone.
      { name: 'evaluate', intervalMs: evaluationMs, run: () => alerts.evaluate() },
      {
        name: 'outbox',
        intervalMs: parseDuration(config.OUTBOX_INTERVAL),
        run: async () => (evaluatorLease.held ? deliverer.deliverDue() : undefined),
      },
    ],
    logger,
  );
  const traces = new TraceStore(createTraceRepository(database.db), {
    maxTraces: config.TRACE_MAX_TRACES,
    maxBytes: config.TRACE_MAX_BYTES,
    slowMs: config.TRACE_SLOW_MS,
    now,
  });
  return {
    traces,
    store,
    query,
    promql: new PromQLQueries(query, now),
    signals,
    localSignals,
    scraper,
    readiness,
    alerts,
    rules,
    silences,
    deliverer,
    prometheus,
    discovery,
    monitor,
    instance,
    startGate,
    async heldTargets() {
      const firing = (await alerts.list({ state: 'firing' })).map((a) => a.labels);
      const held = startGate.heldAt(await targets.watch(), now(), firing);
      return new Map(held.map((t) => [t.url, t.until]));
    },
    scrape,
    receivers,
    droppedNotifications,
    async evaluator() {
      const current = await lease?.holder();
      return { here: evaluatorLease.held, holder: current?.holder ?? null };
    },
    async init() {
      // Another replica scraped within a few cycles: this one joins its watch; else a new one begins.
      const joined = await targets.join(instance, now(), 3 * scrapeMs + parseDuration(config.SCRAPE_TIMEOUT));
      if (joined.fresh)
        logger.info(
          { startupGrace: config.STARTUP_GRACE },
          'services are alerted on once they have been ready, or after STARTUP_GRACE',
        );
      const at = new Date(now()).toISOString();
      const upgraded = await ruleRepository.upgradeStored();
      if (upgraded > 0) logger.info({ rules: upgraded }, 'stored alert rules rewritten in PromQL');
      await ruleRepository.installDefaultsOnce(
        defaultRules({ sloObjective: config.SLO_OBJECTIVE }).map((r) => ({
          ...r,
          builtin: true,
          createdAt: at,
          updatedAt: at,
        })),
      );
      if (!receivers.configured)
        logger.warn(`alerts will not be delivered: no receiver configured; ${NO_RECEIVER_HINT}`);
      await alerts.init();
      for (const b of await silences.refresh())
        logger.warn(
          { silenceId: b.id, error: b.error },
          'stored silence mutes nothing: its matcher no longer compiles; expire it and create it again',
        );
      await rules.reload();
      watch = await watchChanges(
        database,
        CHANGES_CHANNEL,
        async (what) => {
          if (what !== 'silences') await rules.reload();
          if (what !== 'rules') await silences.refresh();
        },
        { onError: (err) => logger.warn({ err }, 'rule and silence change feed interrupted; retrying') },
      );
      lease = await startLease(database, EVALUATOR_LEASE, {
        holder: instance,
        ...(deps.leaseRetryMs ? { retryMs: deps.leaseRetryMs } : {}),
        // Taking over: continue from what the previous evaluator committed, so nothing it
        // notified is notified again and nothing it had due is lost.
        onAcquired: async (term) => {
          await alerts.init();
          await rules.reload();
          await silences.refresh();
          logger.info({ term, instance }, 'this replica now evaluates rules and delivers notifications');
        },
        onLost: (reason) => logger.warn({ reason, instance }, 'no longer the evaluator'),
        onError: (err) => logger.warn({ err }, 'evaluator election: database trouble; retrying'),
      });
    },
    async stop() {
      await monitor.stop();
      await lease?.close();
      await watch?.close();
      await targets.leave(instance).catch((err) => logger.warn({ err }, 'could not leave the replica list'));
    },
  };
}
