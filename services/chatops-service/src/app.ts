import {
  type Authenticator,
  createHttpClient,
  createService,
  type Database,
  type Discovery,
  type HttpClient,
  UpstreamError,
} from '@opsmesh/shared';
import type { FastifyBaseLogger } from 'fastify';
import { Counter } from 'prom-client';
import type { ChatopsConfig } from './config.js';
import type { AnyCommand } from './models/command.js';
import { createConfirmationRepository } from './models/confirmation-repository.js';
import type { ChatopsDatabase } from './models/db.js';
import { createLinkRepository } from './models/link-repository.js';
import { createNotificationKeyRepository } from './models/notification-key-repository.js';
import { createRunRepository } from './models/run-repository.js';
import { createSlackEventRepository } from './models/slack-event-repository.js';
import { createThreadRepository } from './models/thread-repository.js';
import { AlertNotifier } from './notifications/alert-notifier.js';
import { parseRoutes } from './notifications/routing.js';
import { messageRoutes } from './routes/chatops/message-routes.js';
import { notificationRoutes } from './routes/notifications/notification-routes.js';
import { slackRoutes } from './routes/slack/slack-routes.js';
import { BackgroundTasks } from './services/background-tasks.js';
import type { DelegatedTokens } from './services/chat-identity.js';
import { ChatService } from './services/chat-service.js';
import { CommandExecutor } from './services/command-executor.js';
import { generalCommands } from './services/commands/general-commands.js';
import { modelCommands } from './services/commands/model-commands.js';
import { monitoringCommands } from './services/commands/monitoring-commands.js';
import { statusCommand } from './services/commands/status-command.js';
import { LiveNlp } from './services/live-nlp.js';
import { readIntentModel } from './services/nlp/intent-model.js';
import { DEFAULT_LEXICON } from './services/nlp/lexicon.js';
import { loadDatasetLexicon } from './services/nlp/utterances.js';
import { NlpProcessor } from './services/nlp-processor.js';
import { upstreamReply } from './services/replies.js';
import { ResponseUrlPolicy } from './slack/response-url-policy.js';
import { SlackApi } from './slack/slack-api.js';

export const SERVICE_NAME = 'chatops-service';
export const SERVICE_VERSION = '0.1.0';

export interface ChatopsDeps {
  database: Database<ChatopsDatabase>;
  discovery: Discovery;
  authenticator: Authenticator;
  /** Token exchange at the auth service, for linked Slack users. */
  tokens: DelegatedTokens;
  logger?: FastifyBaseLogger;
  /** A processor (tests share one); read from the shipped intent model otherwise. */
  nlp?: NlpProcessor;
  tasks?: BackgroundTasks;
  now?: () => Date;
  /** Seconds since the epoch for the Slack replay window. */
  nowSeconds?: () => number;
  processMetrics?: boolean;
}

/**
 * The intent classifier shipped in `data/intent-model.json` (trained by `scripts/train-intents.ts`
 * on the train split of the labelled data), over the data set's own vocabulary until the live one
 * is swapped in. Loading takes milliseconds, so start-up does not wait for training.
 */
export function loadNlp(threshold: number): NlpProcessor {
  return NlpProcessor.fromModel(readIntentModel(), loadDatasetLexicon(), threshold);
}

const LINK_HELP =
  'To use commands here, link your account: get a one-time code from the console or `POST /api/chatops/links/codes`, then send `link <code>` here.';

/** Builds the un-started ChatOps service with the given dependencies. */
export async function buildApp(config: ChatopsConfig, deps: ChatopsDeps) {
  const app = createService({
    name: SERVICE_NAME,
    version: SERVICE_VERSION,
    description:
      'Chat in (Slack, web, API), intents and entities, commands run with the caller’s rights, alerts out',
    bodyLimit: config.BODY_LIMIT,
    bodyMinBytesPerSecond: config.BODY_MIN_BYTES_PER_SECOND,
    trustProxy: config.TRUST_PROXY,
    authenticator: deps.authenticator,
    logLevel: config.LOG_LEVEL,
    ...(deps.logger ? { logger: deps.logger } : {}),
    ...(deps.processMetrics !== undefined ? { processMetrics: deps.processMetrics } : {}),
  });
  const { db } = deps.database;
  const runs = createRunRepository(db);
  const links = createLinkRepository(db);
  const confirmations = createConfirmationRepository(db);
  const client = (service: string): HttpClient =>
    createHttpClient({
      service,
      discovery: deps.discovery,
      timeoutMs: config.UPSTREAM_TIMEOUT_MS,
      circuits: app.circuits.listener,
    });
  const ml = client('ml-service');
  const monitoring = client('monitoring-service');
  const healthClients = new Map<string, HttpClient>();
  const health = (service: string) => {
    const known = healthClients.get(service);
    if (known) return known;
    const made = client(service);
    healthClients.set(service, made);
    return made;
  };

  const nlp = new LiveNlp({
    base: deps.nlp ?? loadNlp(config.NLP_CONFIDENCE_THRESHOLD),
    fallback: DEFAULT_LEXICON,
    discovery: deps.discovery,
    ml,
    monitoring,
    refreshMs: config.LEXICON_REFRESH_SECONDS * 1000,
  });
  const commands: AnyCommand[] = [];
  commands.push(
    ...generalCommands({
      runs,
      links,
      commands: () => commands,
      linkHelp: LINK_HELP,
      auth: client('auth-service'),
      ...(deps.now ? { now: deps.now } : {}),
    }),
    statusCommand(deps.discovery, health),
    ...monitoringCommands(monitoring),
    ...modelCommands(ml, monitoring),
  );
  const runsCounter = new Counter({
    name: 'chatops_commands_total',
    help: 'Chat commands handled, by intent and outcome',
    labelNames: ['intent', 'outcome', 'source'],
    registers: [app.metrics.registry],
  });
  const executor = new CommandExecutor({
    nlp: () => nlp.current,
    commands,
    runs: {
      insert: async (run) => {
        runsCounter.inc({ intent: run.intent, outcome: run.outcome, source: run.source });
        await runs.insert(run);
      },
      list: runs.list,
      page: runs.page,
    },
    confirmations,
    confirmationTtlSeconds: config.CONFIRMATION_TTL_SECONDS,
    classifyError: (err) =>
      err instanceof UpstreamError
        ? {
            outcome: err.kind === 'problem' && (err.status ?? 500) < 500 ? 'failed' : 'upstream_unavailable',
            reply: upstreamReply(err),
          }
        : undefined,
    linkHelp: LINK_HELP,
    ...(deps.now ? { now: deps.now } : {}),
  });
  const chat = new ChatService({ executor, nlp, links, tokens: deps.tokens });
  const tasks =
    deps.tasks ?? new BackgroundTasks((err) => app.log.error({ err }, 'background Slack work failed'));
  const slack = new SlackApi({
    apiUrl: config.SLACK_API_URL,
    botToken: config.SLACK_BOT_TOKEN,
    timeoutMs: 5000,
  });
  const notifier = new AlertNotifier({
    slack,
    routing: parseRoutes(config.SLACK_ALERT_ROUTES, config.SLACK_ALERT_CHANNEL),
    threads: createThreadRepository(db),
    webhookUrl: config.SLACK_WEBHOOK_URL,
  });

  app.addReadinessCheck('database', () => deps.database.ping());
  // Expired confirmations and old Slack ids (events: Slack retries for ~1 h; signatures: 5 min) are dropped hourly.
  const slackEvents = createSlackEventRepository(db);
  const notificationKeys = createNotificationKeyRepository(db);
  const cleanup = setInterval(() => {
    const now = deps.now?.() ?? new Date();
    Promise.all([
      confirmations.purgeExpired(now),
      slackEvents.purgeOlderThan(new Date(now.getTime() - 24 * 3600 * 1000)),
      notificationKeys.purgeOlderThan(new Date(now.getTime() - 24 * 3600 * 1000)),
    ]).catch((err: unknown) => app.log.warn({ err }, 'clean-up of old chat records failed'));
  }, 3600 * 1000);
  cleanup.unref();
  app.addHook('onClose', async () => {
    clearInterval(cleanup);
    await tasks.idle();
  });
  await app.register(messageRoutes({ chat, runs, links, linkCodeTtlSeconds: config.LINK_CODE_TTL_SECONDS }));
  await app.register(
    notificationRoutes({ notifier, notifyToken: config.NOTIFY_TOKEN, keys: notificationKeys }),
  );
  await app.register(
    slackRoutes({
      signingSecret: config.SLACK_SIGNING_SECRET,
      chat,
      events: slackEvents,
      slack,
      responseUrls: new ResponseUrlPolicy(config.SLACK_RESPONSE_URL_ALLOW),
      tasks,
      inlineBudgetMs: config.SLACK_INLINE_BUDGET_MS,
      failureReply: (err) =>
        err instanceof UpstreamError
          ? upstreamReply(err)
          : 'Something went wrong on my side; the error is logged.',
      ...(deps.nowSeconds ? { nowSeconds: deps.nowSeconds } : {}),
    }),
  );
  return app;
}
