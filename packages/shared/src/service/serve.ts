import type { FastifyInstance } from 'fastify';
import { startIdleTrim } from './idle-trim.js';
import { installShutdown } from './shutdown.js';

export interface ServeOptions {
  /** The name other services find this one under in discovery. */
  service: string;
  HOST: string;
  PORT: number;
  SHUTDOWN_GRACE_MS: number;
  /** With it, the instance announces itself in etcd while it runs. */
  ETCD_URL?: string | undefined;
  /** The host other instances reach this one at; the listening address by default. */
  ADVERTISE_HOST?: string | undefined;
  /**
   * The etcd lease's TTL (10 s by default): how long a replica that died without stopping stays
   * in rotation. A clean stop (SIGTERM) revokes the lease at once whatever it is.
   */
  DISCOVERY_TTL_SECONDS?: number | undefined;
  /** One full collection whenever the process goes quiet after work (see startIdleTrim); on by default. */
  idleTrim?: boolean;
}

/**
 * Runs a service: graceful shutdown on SIGTERM/SIGINT, listen, a full collection whenever the
 * process goes quiet after work (startIdleTrim), and with `ETCD_URL` an
 * announcement in etcd under a lease kept alive while the process runs. On close the lease is
 * revoked before in-flight requests drain, so callers stop picking this instance first.
 *
 * @example
 * await serve(app, { service: 'ml-service', ...config });
 */
export async function serve(app: FastifyInstance, options: ServeOptions): Promise<void> {
  installShutdown(app, { graceMs: options.SHUTDOWN_GRACE_MS });
  let registration: { close(): Promise<void> } | undefined;
  // Hooks cannot be added once listening: this one is in place first and finds the lease later.
  app.addHook('preClose', async () => {
    await registration?.close();
  });
  if (options.idleTrim !== false) {
    const stopTrim = startIdleTrim();
    app.addHook('onClose', async () => stopTrim());
  }
  await app.listen({ host: options.HOST, port: options.PORT });
  if (!options.ETCD_URL) return;
  const address = app.server.address() as { port: number; address: string };
  const host =
    options.ADVERTISE_HOST ??
    (address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address);
  // Loaded only here: a service without etcd never holds discovery's code.
  const { registerInEtcd } = await import('../http/etcd-discovery.js');
  registration = await registerInEtcd({
    url: options.ETCD_URL,
    service: options.service,
    instanceUrl: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    ...(options.DISCOVERY_TTL_SECONDS !== undefined ? { ttlSeconds: options.DISCOVERY_TTL_SECONDS } : {}),
    onError: (err) => app.log.warn({ err, etcd: options.ETCD_URL }, 'etcd keep-alive failed'),
  });
  app.log.info(
    { etcd: options.ETCD_URL, service: options.service, ttlSeconds: options.DISCOVERY_TTL_SECONDS ?? 10 },
    'announced in discovery',
  );
}
