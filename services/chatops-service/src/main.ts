import {
  type CircuitListener,
  createHttpClient,
  createLogger,
  discoveryFromEnv,
  loadConfigOrExit,
  migrate,
  openServiceDatabase,
  remoteAuthenticator,
  serve,
} from '@opsmesh/shared';
import type { Kysely } from 'kysely';
import { buildApp, SERVICE_NAME } from './app.js';
import { ChatopsConfigSchema } from './config.js';
import type { ChatopsDatabase } from './models/db.js';
import { authTokenExchange } from './services/token-exchange.js';

const config = loadConfigOrExit(SERVICE_NAME, ChatopsConfigSchema);
const logger = createLogger({ service: SERVICE_NAME, level: config.LOG_LEVEL });
const database = await openServiceDatabase<ChatopsDatabase>(SERVICE_NAME, {
  service: 'chatops',
  dataDir: config.OPSMESH_DATA_DIR,
  url: config.DATABASE_URL,
});
await migrate(database.db as unknown as Kysely<unknown>, new URL('../migrations', import.meta.url), logger);
const discovery = discoveryFromEnv();
const authenticator = remoteAuthenticator({
  authUrl: config.AUTH_URL,
  issuer: config.JWT_ISSUER,
  audience: config.JWT_AUDIENCE,
  discovery,
  onFeedError: (err) => logger.warn({ err }, 'auth revocation feed unreachable; retrying'),
});
const verifier = authenticator.verifier;
// Made before the app, so its circuit changes reach the app's telemetry once the app exists.
let circuits: CircuitListener | undefined;
const authHttp = createHttpClient({
  service: 'auth-service',
  discovery,
  timeoutMs: config.UPSTREAM_TIMEOUT_MS,
  circuits: (t) => circuits?.(t),
});
const tokens = authTokenExchange({
  auth: authHttp,
  verifier,
  clientId: config.CHATOPS_CLIENT_ID ?? config.OPSMESH_CLIENT_ID,
  clientSecret: config.CHATOPS_CLIENT_SECRET ?? config.OPSMESH_CLIENT_SECRET,
});

const app = await buildApp(config, {
  database,
  discovery,
  authenticator,
  tokens,
  logger,
});
circuits = app.circuits.listener;
app.addHook('onClose', async () => {
  await database.close();
});
// Said once: the notifications monitoring sends here are answered slack_not_configured, which the
// monitoring service counts and lists (GET /notifications/receivers), but a person reads this first.
if (!config.SLACK_BOT_TOKEN && !config.SLACK_WEBHOOK_URL)
  logger.warn(
    'alert notifications will not reach Slack: no Slack configured; set SLACK_BOT_TOKEN (or SLACK_WEBHOOK_URL) for the ChatOps service',
  );
await serve(app, { service: SERVICE_NAME, ...config });
