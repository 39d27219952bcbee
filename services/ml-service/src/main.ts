import { join } from 'node:path';
import {
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
import { MlConfigSchema } from './config.js';
import { sessionSettings } from './inference/runs-in-flight.js';
import { createWorkerPool } from './inference/worker-pool.js';
import type { MlDatabase } from './models/db.js';
import { createArtifactStore } from './services/artifact-store.js';

const config = loadConfigOrExit(SERVICE_NAME, MlConfigSchema);
const logger = createLogger({ service: SERVICE_NAME, level: config.LOG_LEVEL });
const database = await openServiceDatabase<MlDatabase>(SERVICE_NAME, {
  service: 'ml',
  dataDir: config.OPSMESH_DATA_DIR,
  url: config.DATABASE_URL,
});
await migrate(database.db as unknown as Kysely<unknown>, new URL('../migrations', import.meta.url), logger);
const pool = createWorkerPool({
  size: config.ML_WORKERS,
  settings: sessionSettings(config).batched,
  niceness: config.ML_WORKER_NICENESS,
  onWorkerError: (err) => logger.error({ err }, 'inference worker failed; replaced'),
});
const store = createArtifactStore({
  db: database.db,
  cacheDir: config.ML_ARTIFACT_DIR ?? join(config.OPSMESH_DATA_DIR, 'ml', 'artifacts'),
  logger,
});
const authenticator = remoteAuthenticator({
  authUrl: config.AUTH_URL,
  issuer: config.JWT_ISSUER,
  audience: config.JWT_AUDIENCE,
  discovery: discoveryFromEnv(),
  onFeedError: (err) => logger.warn({ err }, 'auth revocation feed unreachable; retrying'),
});

const app = buildApp(config, { database, pool, store, authenticator, logger });
app.addHook('onClose', async () => {
  await pool.close();
  await database.close();
});
await serve(app, { service: SERVICE_NAME, ...config });
