import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommonConfig } from '@opsmesh/shared';
import { type Static, Type } from '@sinclair/typebox';

const serviceDir = join(dirname(fileURLToPath(import.meta.url)), '../..');

export const GatewayEnvSchema = Type.Object({
  ...CommonConfig.properties,
  PORT: Type.Integer({ default: 8080, minimum: 0, maximum: 65535 }),
  GATEWAY_CONFIG: Type.String({
    default: join(serviceDir, 'config/gateway.yaml'),
    description: 'path of the declarative gateway config (YAML)',
  }),
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://', description: 'a redis:// URL' })),
  WEB_DIR: Type.String({ default: join(serviceDir, '../../web'), description: 'the operator console files' }),
  API_KEY_CACHE_TTL_MS: Type.Integer({ default: 30_000, minimum: 0, maximum: 300_000 }),
  TOKEN_CACHE_SIZE: Type.Integer({ default: 50_000, minimum: 0, maximum: 1_000_000 }),
  SEND_TIMEOUT_MS: Type.Integer({
    default: 60_000,
    minimum: 100,
    maximum: 3_600_000,
    description:
      'how long a client may read none of a proxied answer waiting for it before its connection is cut, in ms (nginx send_timeout)',
  }),
  BODY_TIMEOUT_MS: Type.Integer({
    default: 900_000,
    minimum: 0,
    maximum: 86_400_000,
    description:
      'the longest a request body may take to arrive, in ms, time the gateway holds it back not counted; then 408 and the connection closed; 0 = no limit',
  }),
  MAX_CONNECTIONS_PER_CLIENT: Type.Integer({
    default: 256,
    minimum: 0,
    maximum: 1_000_000,
    description:
      'connections one client address may hold open at once (an IPv4-mapped IPv6 address counts as its IPv4 one; TRUST_PROXY proxies are exempt); one more is answered 429 and closed; 0 = no cap',
  }),
  FORWARDED_HEADERS: Type.Union([Type.Literal('x-forwarded'), Type.Literal('forwarded')], {
    default: 'x-forwarded',
    description:
      'which forwarding headers the TRUST_PROXY proxies write: x-forwarded (X-Forwarded-For/-Proto/-Host) or forwarded (RFC 7239)',
  }),
  // Instances of each upstream this replica sends to (deterministic subsetting); 0 = all; unset,
  // sized from the gateway replicas in discovery (upstream-pool.ts, autoSubsetSize).
  UPSTREAM_SUBSET_SIZE: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 10_000,
      description:
        'instances of each upstream this replica sends to, chosen by its UPSTREAM_SUBSET_ID (deterministic subsetting); 0 = all; unset = sized from the gateway replicas in discovery, all of them up to 10 replicas',
    }),
  ),
  UPSTREAM_SUBSET_ID: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 256,
      description: "this replica's id for subsetting, stable across its restarts (default <hostname>:<PORT>)",
    }),
  ),
});
export type GatewayEnv = Static<typeof GatewayEnvSchema>;
