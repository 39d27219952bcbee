import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createAuthenticator,
  createDatabase,
  createTokenVerifier,
  type Database,
  loadConfig,
  migrate,
  remoteJwks,
} from '@opsmesh/shared';
import {
  createTestIdentity,
  type TestDatabase,
  type TestIdentity,
  testDatabaseTargets,
} from '@opsmesh/shared/testing';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import lightMyRequest, { type InjectOptions, type Response as InjectResponse } from 'light-my-request';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../../src/app.js';
import { type MlConfig, MlConfigSchema } from '../../src/config.js';
import { createWorkerPool, type WorkerPool } from '../../src/inference/worker-pool.js';
import type { MlDatabase } from '../../src/models/db.js';
import { createArtifactStore } from '../../src/services/artifact-store.js';

/** The infer routes' two paths (`ML_LEAN_INFER`): tests that cover them run against each. */
export const INFER_PATHS = ['on', 'off'] as const;

/**
 * Builds the real ML service for a test: real database (PGlite or PostgreSQL), real worker
 * pool with onnxruntime, real JWT verification against a local JWKS.
 */

export interface TestApp {
  app: ReturnType<typeof buildApp>;
  /**
   * `app.inject()` through the server's own request listener, as a socket's request goes: the
   * lean infer path first when it is on (Fastify's inject() goes straight to Fastify's router).
   */
  inject(options: InjectOptions): Promise<InjectResponse>;
  database: Database<MlDatabase>;
  pool: WorkerPool;
  artifactDir: string;
  config: MlConfig;
  close(): Promise<void>;
}

export interface TestAppOptions {
  identity: TestIdentity;
  database: TestDatabase;
  /** Reuse a directory to simulate a restart over the same data; else a fresh temp dir. */
  dataDir?: string;
  env?: Record<string, string>;
  /** A database and worker pool shared by several apps of one test file (start-up is slow on a busy machine). */
  shared?: { database: Database<MlDatabase>; pool: WorkerPool };
  /** The service's logger (silent without one). */
  logger?: FastifyBaseLogger;
  /** Runs on the built app before it is made ready (hooks a test adds to watch it). */
  beforeReady?: (app: ReturnType<typeof buildApp>) => void;
}

/** Opens the database and worker pool once for several apps; close them with `closeShared`. */
export async function openShared(target: TestDatabase) {
  const database = await createDatabase<MlDatabase>({ service: 'ml', dataDir: 'memory://', url: target.url });
  await migrate(database.db as unknown as Kysely<unknown>, new URL('../../migrations', import.meta.url));
  const pool = createWorkerPool({ size: 1, settings: { intraOpThreads: 1 } });
  return {
    database,
    pool,
    async close() {
      await pool.close();
      await database.close();
    },
  };
}

const silentLogger = { info: () => {}, warn: () => {}, error: () => {} };

export async function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'ml-test-'));
}

export async function startTestApp(opts: TestAppOptions): Promise<TestApp> {
  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? (await makeTempDir());
  const config = loadConfig(
    'ml-service',
    MlConfigSchema,
    {
      LOG_LEVEL: 'silent',
      OPSMESH_DATA_DIR: dataDir,
      ML_WORKERS: '1',
      ML_PREDICTION_LOG_EVERY: '1',
      JWT_ISSUER: opts.identity.issuer,
      JWT_AUDIENCE: opts.identity.audience,
      ...(opts.database.url ? { DATABASE_URL: opts.database.url } : {}),
      ...opts.env,
    },
    { dotenvPath: false },
  );
  // PGlite lives in memory unless the test reuses a data dir to simulate a restart.
  const database =
    opts.shared?.database ??
    (await createDatabase<MlDatabase>({
      service: 'ml',
      dataDir: opts.database.url || opts.dataDir === undefined ? 'memory://' : dataDir,
      url: opts.database.url,
    }));
  await migrate(database.db as unknown as Kysely<unknown>, new URL('../../migrations', import.meta.url));
  const pool =
    opts.shared?.pool ?? createWorkerPool({ size: config.ML_WORKERS, settings: { intraOpThreads: 1 } });
  const closeOwned = async () => {
    if (opts.shared) return;
    await pool.close();
    await database.close();
  };
  const artifactDir = join(dataDir, 'ml', 'artifacts');
  const authenticator = createAuthenticator({
    verifier: createTokenVerifier({
      keys: remoteJwks({ url: opts.identity.jwksUrl }),
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    }),
  });
  const app = buildApp(config, {
    database,
    pool,
    store: createArtifactStore({ db: database.db, cacheDir: artifactDir, logger: silentLogger }),
    authenticator,
    processMetrics: false,
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  opts.beforeReady?.(app);
  try {
    await app.ready();
  } catch (err) {
    await app.close().catch(() => undefined);
    await closeOwned();
    throw err;
  }
  return {
    app,
    inject: (options) =>
      lightMyRequest((req, res) => {
        app.server.listeners('request')[0]!(req, res);
      }, options),
    database,
    pool,
    artifactDir,
    config,
    async close() {
      await app.close();
      await closeOwned();
      if (ownDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface BlockApp {
  t: TestApp;
  viewer: string;
  operator: string;
}

/**
 * One app shared by the tests of a describe block, on the first database target, with a viewer
 * and an operator token; `setup` runs once it is up (uploads). Everything is closed after the block.
 *
 * @example
 * const app = useTestApp({ ML_BOOTSTRAP_IRIS: 'false' }, async ({ t, operator }) => { await uploadRaw(t, 'm', bytes, operator); });
 */
export function useTestApp(env: Record<string, string>, setup?: (app: BlockApp) => Promise<void>): BlockApp {
  const app = {} as BlockApp;
  let identity: TestIdentity | undefined;
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    identity = await createTestIdentity();
    database = await (await testDatabaseTargets())[0]!.create();
    app.t = await startTestApp({ identity, database, env });
    app.viewer = await identity.token({ roles: ['viewer'] });
    app.operator = await identity.token({ roles: ['operator'] });
    await setup?.(app);
  }, 120_000);
  afterAll(async () => {
    await app.t?.close();
    await database?.drop();
    await identity?.close();
  });
  return app;
}
