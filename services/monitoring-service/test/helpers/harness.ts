import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createAuthenticator,
  createDatabase,
  createLogger,
  createTokenVerifier,
  type Database,
  loadConfig,
  migrate,
  remoteJwks,
  type ServiceApp,
  staticDiscovery,
} from '@opsmesh/shared';
import { createTestIdentity, type TestIdentity } from '@opsmesh/shared/testing';
import { buildApp } from '../../src/app.js';
import { type MonitoringConfig, MonitoringConfigSchema } from '../../src/config.js';
import type { MonitoringDB } from '../../src/models/db.js';
import { createRuntime, type MonitoringRuntime } from '../../src/services/runtime.js';

export const MIGRATIONS = new URL('../../migrations', import.meta.url);

/** A clock tests move by hand. */
export function testClock(start = Date.UTC(2026, 0, 1)) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
      return t;
    },
    set: (ms: number) => {
      t = ms;
    },
  };
}

export async function memoryDatabase(): Promise<Database<MonitoringDB>> {
  const database = await createDatabase<MonitoringDB>({ service: 'monitoring', dataDir: 'memory://' });
  await migrate(database.db, MIGRATIONS);
  return database;
}

export function testConfig(env: Record<string, string> = {}): MonitoringConfig {
  return loadConfig(
    'monitoring-service',
    MonitoringConfigSchema,
    { LOG_LEVEL: 'silent', ...env },
    { dotenvPath: false },
  );
}

export interface Harness {
  app: ServiceApp;
  runtime: MonitoringRuntime;
  identity: TestIdentity;
  database: Database<MonitoringDB>;
  token(roles: string[]): Promise<string>;
  close(): Promise<void>;
}

/** The real app over a real database and a real JWKS, with services and clock chosen by the test. */
export async function buildHarness(options: {
  services: Record<string, string[]>;
  env?: Record<string, string>;
  now?: () => number;
  database?: Database<MonitoringDB>;
  identity?: TestIdentity;
  /** This replica's name in the evaluator lease, and how soon it tries to take the lease. */
  instance?: string;
  leaseRetryMs?: number;
  /** The runtime's logger (silent by default), e.g. one that keeps lines for the test to read. */
  logger?: import('fastify').FastifyBaseLogger;
}): Promise<Harness> {
  const identity = options.identity ?? (await createTestIdentity());
  const database = options.database ?? (await memoryDatabase());
  const config = testConfig(options.env);
  const logger = options.logger ?? createLogger({ service: 'monitoring-service', level: 'silent' });
  const runtime = createRuntime({
    config,
    database,
    discovery: staticDiscovery(options.services),
    logger,
    ...(options.now ? { now: options.now } : {}),
    ...(options.instance ? { instance: options.instance } : {}),
    ...(options.leaseRetryMs ? { leaseRetryMs: options.leaseRetryMs } : {}),
  });
  await runtime.init();
  const authenticator = createAuthenticator({
    verifier: createTokenVerifier({
      keys: remoteJwks({ url: identity.jwksUrl }),
      issuer: identity.issuer,
      audience: identity.audience,
    }),
  });
  const app = buildApp(
    config,
    { database, authenticator, runtime, ...(options.now ? { now: options.now } : {}) },
    { processMetrics: false },
  );
  await app.ready();
  return {
    app,
    runtime,
    identity,
    database,
    token: (roles) => identity.token({ roles }),
    close: async () => {
      await app.close();
      if (!options.identity) await identity.close();
    },
  };
}

/**
 * One replica of the service over a shared PostgreSQL (`url`): its own connection, migrated, built
 * as buildHarness builds it. Several over one URL are replicas of one deployment.
 */
export async function replicaHarness(
  url: string,
  options: Omit<Parameters<typeof buildHarness>[0], 'database'>,
): Promise<Harness> {
  const database = await createDatabase<MonitoringDB>({ service: 'monitoring', dataDir: 'memory://', url });
  await migrate(database.db, MIGRATIONS);
  return buildHarness({ ...options, database });
}

/** A tiny HTTP server on 127.0.0.1 with a swappable handler. */
export async function startServer(
  handler: (
    req: import('node:http').IncomingMessage,
    body: string,
  ) => { status: number; body?: string; type?: string },
): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const r = handler(req, body);
      res.writeHead(r.status, { 'content-type': r.type ?? 'text/plain' });
      res.end(r.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
