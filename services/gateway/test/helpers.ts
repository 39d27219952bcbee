import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createAuthenticator,
  createTokenVerifier,
  type Discovery,
  remoteJwks,
  type ServiceApp,
} from '@opsmesh/shared';
import { createTestIdentity, type TestIdentity } from '@opsmesh/shared/testing';
import { Value } from '@sinclair/typebox/value';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { buildApp } from '../src/app.js';
import { GatewayEnvSchema } from '../src/config/env-config.js';
import { testConfig } from './test-config.js';

const here = dirname(fileURLToPath(import.meta.url));

export interface UpstreamProcess {
  url: string;
  child: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Spawns the gateway's own entry point (`src/main.ts`) as a process on loopback `port`, reading
 * the gateway config at `configFile`; `env` adds discovery and the rest.
 */
export function spawnGateway(
  port: number,
  configFile: string,
  env: NodeJS.ProcessEnv,
  stdio: 'pipe' | 'ignore' = 'pipe',
): ChildProcess {
  return spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts'], {
    cwd: join(here, '..'),
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', GATEWAY_CONFIG: configFile, ...env },
    stdio: ['ignore', stdio, stdio],
  });
}

/** Starts the echo upstream as its own process; resolves once it listens. */
export function startUpstream(name: string, port = 0, host = '127.0.0.1'): Promise<UpstreamProcess> {
  return startFixture('echo-upstream.ts', name, { PORT: String(port), HOST: host });
}

/** Starts a fixture server of `test/fixtures` as its own process; resolves with the URL it prints first. */
export function startFixture(
  file: string,
  name: string,
  env: Record<string, string> = {},
): Promise<UpstreamProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', join(here, 'fixtures', file)],
    { env: { ...process.env, UPSTREAM_NAME: name, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`upstream ${name} did not start`)), 15_000);
    child.once('exit', (code) => reject(new Error(`upstream ${name} exited with ${code}`)));
    child.stdout!.once('data', (chunk: Buffer) => {
      clearTimeout(timer);
      const url = chunk.toString('utf8').trim().split('\n')[0]!;
      resolve({
        url,
        child,
        kill: (signal = 'SIGKILL') =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill(signal);
          }),
      });
    });
  });
}

/** A discovery whose instances tests can change while the gateway runs. */
export function mutableDiscovery(
  map: Record<string, string[]>,
): Discovery & { set(name: string, urls: string[]): void } {
  return {
    resolve: async (name) => [...(map[name] ?? [])],
    services: async () => structuredClone(map),
    set: (name, urls) => {
      map[name] = urls;
    },
  };
}

export interface TestGateway {
  app: ServiceApp;
  url: string;
  configPath: string;
  writeConfig(yaml: string): void;
  close(): Promise<void>;
}

/** Builds the real gateway in process with a config file of the test's own, listening on port 0. */
export async function startGateway(options: {
  yaml: string;
  discovery: Discovery;
  identity: TestIdentity;
  redis?: Redis;
  env?: Record<string, string>;
}): Promise<TestGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-test-'));
  const configPath = join(dir, 'gateway.yaml');
  writeFileSync(configPath, options.yaml);
  const env = Value.Convert(
    GatewayEnvSchema,
    Value.Default(GatewayEnvSchema, {
      GATEWAY_CONFIG: configPath,
      PORT: '0',
      LOG_LEVEL: 'warn',
      ...options.env,
    }),
  ) as import('../src/config/env-config.js').GatewayEnv;
  const verifier = createTokenVerifier({
    keys: remoteJwks({ url: options.identity.jwksUrl }),
    issuer: options.identity.issuer,
    audience: options.identity.audience,
  });
  const app = buildApp(env, {
    discovery: options.discovery,
    authenticator: createAuthenticator({ verifier }),
    redis: options.redis,
    logger: pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' }),
    processMetrics: false,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address() as import('node:net').AddressInfo;
  return {
    app,
    url: `http://127.0.0.1:${address.port}`,
    configPath,
    writeConfig: (yaml) => writeFileSync(configPath, yaml),
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A request whose path goes out exactly as written (fetch would resolve dot segments and slashes first). */
export function rawRequest(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: import('node:http').IncomingHttpHeaders; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: hostname, port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export interface EchoSetup {
  identity: TestIdentity;
  upstream: UpstreamProcess;
  /** Starts a gateway (closed with the rest) whose every upstream is the one echo upstream. */
  gateway(options?: { yaml?: string; env?: Record<string, string> }): Promise<TestGateway>;
  close(): Promise<void>;
}

/** The usual set-up of a gateway test: a signing identity, one echo upstream, gateways in front. */
export async function echoSetup(): Promise<EchoSetup> {
  const identity = await createTestIdentity();
  const upstream = await startUpstream('echo');
  const gateways: TestGateway[] = [];
  return {
    identity,
    upstream,
    async gateway(options = {}) {
      const gw = await startGateway({
        yaml: options.yaml ?? testConfig(),
        discovery: mutableDiscovery({ 'ml-service': [upstream.url], 'auth-service': [upstream.url] }),
        identity,
        env: options.env,
      });
      gateways.push(gw);
      return gw;
    },
    async close() {
      await Promise.all(gateways.map((g) => g.close()));
      await upstream.kill();
      await identity.close();
    },
  };
}
