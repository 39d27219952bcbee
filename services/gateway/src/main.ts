import { discoveryFromEnv, loadConfigOrExit, remoteAuthenticator, serve } from '@opsmesh/shared';
import { Redis } from 'ioredis';
import { buildApp } from './app.js';
import { GatewayEnvSchema } from './config/env-config.js';

const config = loadConfigOrExit('gateway', GatewayEnvSchema);
const discovery = discoveryFromEnv();
const authenticator = remoteAuthenticator({
  authUrl: config.AUTH_URL,
  issuer: config.JWT_ISSUER,
  audience: config.JWT_AUDIENCE,
  discovery,
  tokenCacheSize: config.TOKEN_CACHE_SIZE,
  apiKeyTtlMs: config.API_KEY_CACHE_TTL_MS,
  onFeedError: (err) => app.log.warn({ err }, 'auth revocation feed unreachable; retrying'),
});
// Commands fail fast while Redis is away, so limits fall back to local counters at once.
const redis = config.REDIS_URL
  ? new Redis(config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 250 })
  : undefined;

const app = buildApp(config, { discovery, authenticator, redis });
app.addHook('onClose', async () => {
  redis?.disconnect();
});
process.on('SIGHUP', () => {
  void app.gateway.reload();
});
// Announced in discovery like every service (etcd lease; in DNS mode its headless Service), so
// the monitoring service scrapes each gateway replica and shows its health.
await serve(app, { service: 'gateway', ...config });
