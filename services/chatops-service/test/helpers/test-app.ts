import {
  type Authenticator,
  createAuthenticator,
  createDatabase,
  createTokenVerifier,
  type Discovery,
  type Identity,
  loadConfig,
  migrate,
  remoteJwks,
  staticDiscovery,
} from '@opsmesh/shared';
import type { TestDatabase, TestIdentity } from '@opsmesh/shared/testing';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { buildApp, loadNlp } from '../../src/app.js';
import { type ChatopsConfig, ChatopsConfigSchema } from '../../src/config.js';
import type { ChatopsDatabase } from '../../src/models/db.js';
import { BackgroundTasks } from '../../src/services/background-tasks.js';
import type { DelegatedTokens } from '../../src/services/chat-identity.js';
import type { NlpProcessor } from '../../src/services/nlp-processor.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const NOTIFY_TOKEN = 'notify-token-0123456789abcdef';

let sharedNlp: NlpProcessor | undefined;

export interface ChatopsTestApp {
  app: Awaited<ReturnType<typeof buildApp>>;
  config: ChatopsConfig;
  tasks: BackgroundTasks;
  /** Shifts the service's clock, e.g. past a confirmation's expiry. */
  clock: { offsetMs: number };
  close(): Promise<void>;
}

export interface ChatopsTestOptions {
  identity: Pick<TestIdentity, 'jwksUrl' | 'issuer' | 'audience' | 'token'>;
  database: TestDatabase;
  /** Addresses of the other services; unknown ones point at a closed port. */
  services?: Record<string, string[]>;
  discovery?: Discovery;
  /** Roles of platform users, as the auth service's token exchange would report them. */
  roles?: Record<string, string[]>;
  env?: Record<string, string>;
  /** The real token exchange and authenticator when the auth service runs too. */
  tokens?: DelegatedTokens;
  authenticator?: Authenticator;
  /** A logger whose lines the test reads; silent otherwise. */
  logger?: FastifyBaseLogger;
}

/** A closed port on loopback: connections are refused at once, like a service that is down. */
export const DOWN = 'http://127.0.0.1:9';

/**
 * Linked Slack users get their token from the auth service's token exchange in production. Here
 * the test identity signs it (same claims, same verifier), because the exchange is the auth
 * service's to test; everything after the token is the real path.
 */
export function testTokens(
  identity: ChatopsTestOptions['identity'],
  roles: Record<string, string[]>,
): DelegatedTokens {
  const verifier = createTokenVerifier({
    keys: remoteJwks({ url: identity.jwksUrl }),
    issuer: identity.issuer,
    audience: identity.audience,
  });
  return {
    async forSubject(subject): Promise<Identity> {
      const token = await identity.token({
        sub: subject,
        roles: roles[subject] ?? ['viewer'],
        act: 'svc_chatops',
      });
      return verifier.verify(token);
    },
  };
}

/** Builds the real ChatOps service over a real database, a real JWKS and real HTTP to its upstreams. */
export async function startChatops(opts: ChatopsTestOptions): Promise<ChatopsTestApp> {
  const config = loadConfig(
    'chatops-service',
    ChatopsConfigSchema,
    {
      LOG_LEVEL: 'silent',
      JWT_ISSUER: opts.identity.issuer,
      JWT_AUDIENCE: opts.identity.audience,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      NOTIFY_TOKEN,
      UPSTREAM_TIMEOUT_MS: '1500',
      ...(opts.database.url ? { DATABASE_URL: opts.database.url } : {}),
      ...opts.env,
    },
    { dotenvPath: false },
  );
  const database = await createDatabase<ChatopsDatabase>({
    service: 'chatops',
    dataDir: 'memory://',
    url: opts.database.url,
  });
  await migrate(database.db as unknown as Kysely<unknown>, new URL('../../migrations', import.meta.url));
  const discovery =
    opts.discovery ??
    staticDiscovery({
      'auth-service': [DOWN],
      'ml-service': [DOWN],
      'monitoring-service': [DOWN],
      ...opts.services,
    });
  const verifier = createTokenVerifier({
    keys: remoteJwks({ url: opts.identity.jwksUrl }),
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
  sharedNlp ??= loadNlp(config.NLP_CONFIDENCE_THRESHOLD);
  const tasks = new BackgroundTasks((err) => {
    throw err;
  });
  const clock = { offsetMs: 0 };
  const app = await buildApp(config, {
    database,
    discovery,
    authenticator: opts.authenticator ?? createAuthenticator({ verifier }),
    tokens: opts.tokens ?? testTokens(opts.identity, opts.roles ?? {}),
    nlp: sharedNlp,
    tasks,
    now: () => new Date(Date.now() + clock.offsetMs),
    processMetrics: false,
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  await app.ready();
  return {
    app,
    config,
    tasks,
    clock,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** inject() returning status and parsed JSON. */
export async function send(
  t: ChatopsTestApp,
  method: 'GET' | 'POST',
  url: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const res = await t.app.inject({
    method,
    url,
    headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
    ...(options.body === undefined ? {} : { payload: options.body as string }),
  });
  let json: unknown;
  try {
    json = res.body ? JSON.parse(res.body) : undefined;
  } catch {
    json = undefined;
  }
  // biome-ignore lint/suspicious/noExplicitAny: tests inspect bodies loosely
  return { status: res.statusCode, headers: res.headers, json: json as any };
}
