import type { IncomingMessage, ServerResponse } from 'node:http';
import { lacksHost, repeatedSingleton, type ServiceApp } from '@opsmesh/shared';
import type { ProxyContext } from './proxy-context.js';
import { ProxyExchange } from './proxy-exchange.js';
import { normalizeTarget } from './request-target.js';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The API reference's files sit under one wildcard route, which `hasRoute` (it compares route
 * definitions, not paths) does not see; the prefix is the gateway's own.
 */
const STATIC_PREFIX = '/docs/static/';

/** Whether Fastify has a route of its own for this path (health, metrics, admin, docs, console). */
function ownRoute(app: ServiceApp, method: string | undefined, path: string): boolean {
  // The router ignores one trailing slash.
  const url = path.length > 1 && path.charCodeAt(path.length - 1) === 47 ? path.slice(0, -1) : path;
  return app.hasRoute({ method: (method ?? 'GET') as 'GET', url }) || url.startsWith(STATIC_PREFIX);
}

/**
 * Puts the proxy in front of Fastify on the same server: a request for one of the gateway's
 * own routes goes to Fastify as before, every other one is proxied by a `ProxyExchange` on
 * the raw request and response. Fastify's per-request work (request and reply objects,
 * hooks, child logger, content-type parsing) costs more than the proxying itself, and none
 * of it is needed to pass a request on. Once the app closes, everything goes to Fastify,
 * which answers 503.
 */
export function installProxyListener(app: ServiceApp, ctx: ProxyContext): void {
  const server = app.server;
  const listeners = server.listeners('request') as RequestListener[];
  if (listeners.length !== 1) throw new Error('the gateway expects Fastify to be the only request listener');
  const fastify = listeners[0]!;
  server.removeListener('request', fastify);
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  // Requests still in flight when the app closes answer with `connection: close`, so the
  // server's close is not held up by their keep-alive connections.
  const proxy: ProxyContext = { ...ctx, draining: () => closing || ctx.draining() };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url;
    // Not origin-form (`*`, absolute-form), HTTP/1.1 with no Host, or a credential or Host sent
    // twice: Fastify answers it (a 400 problem for the last two).
    if (closing || url?.charCodeAt(0) !== 47 || lacksHost(req) || repeatedSingleton(req.rawHeaders))
      return fastify(req, res);
    const target = normalizeTarget(url);
    // Everything after this point, Fastify's own routes included, sees the one normal form.
    if (target.ok && target.url !== url) req.url = target.url;
    if (target.ok && ownRoute(app, req.method, target.path)) fastify(req, res);
    else new ProxyExchange(proxy, req, res, target).start();
  });
}
