import {
  createLogger,
  discoveryFromEnv,
  loadConfigOrExit,
  migrate,
  openServiceDatabase,
  remoteAuthenticator,
  serve,
} from '@opsmesh/shared';
import { buildApp, SERVICE_NAME } from './app.js';
import { MonitoringConfigSchema } from './config.js';
import type { MonitoringDB } from './models/db.js';
import { createRuntime } from './services/runtime.js';

const config = loadConfigOrExit(SERVICE_NAME, MonitoringConfigSchema);

const logger = createLogger({ service: SERVICE_NAME, level: config.LOG_LEVEL });
const database = await openServiceDatabase<MonitoringDB>('monitoring-service', {
  service: 'monitoring',
  dataDir: config.OPSMESH_DATA_DIR,
  url: config.DATABASE_URL,
});
await migrate(database.db, new URL('../migrations', import.meta.url), logger);
const discovery = discoveryFromEnv();
const authenticator = remoteAuthenticator({
  authUrl: config.AUTH_URL,
  issuer: config.JWT_ISSUER,
  audience: config.JWT_AUDIENCE,
  discovery,
  onFeedError: (err) => logger.warn({ err }, 'auth revocation feed unreachable; retrying'),
});
let runtime: ReturnType<typeof createRuntime>;
try {
  // Named by the URL other replicas and discovery know it by, so /services can say which evaluates.
  const host =
    config.ADVERTISE_HOST ?? (config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST);
  const instance = `http://${host.includes(':') ? `[${host}]` : host}:${config.PORT}`;
  runtime = createRuntime({ config, database, discovery, logger, instance });
} catch (err) {
  // Settings that only make sense parsed (ALERT_RECEIVERS, OPSMESH_SERVICES): same exit as a ConfigError.
  process.stderr.write(`${SERVICE_NAME}: invalid configuration\n  - ${(err as Error).message}\n`);
  process.exit(1);
}
await runtime.init();

const app = buildApp(config, { database, authenticator, runtime });
await serve(app, { service: SERVICE_NAME, ...config });
runtime.monitor.start();
