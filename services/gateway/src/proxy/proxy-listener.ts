import type { IncomingMessage, ServerResponse } from 'node:http';
import { lacksHost, repeatedSingleton, type ServiceApp } from '@opsmesh/shared';
import type { ProxyContext } from './proxy-context.js';
import { ProxyExchange } from './proxy-exchange.js';
import { fromAbsoluteForm, normalizeTarget } from './request-target.js';

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
 * Paths remembered per method; past this many the memo starts over, and longer paths are not
 * kept (paths come from clients: at most ~34 methods × 256 paths × 256 characters).
 */
const OWN_ROUTE_MEMO = 256;
const OWN_ROUTE_MEMO_PATH = 256;

/**
 * {@link ownRoute} remembered per method and path: Fastify's routes are fixed once it listens,
 * so the answer for a path never changes, and its router's lookup (`hasRoute`, ~0.3 µs) ran for
 * every proxied request to tell it from the gateway's own routes.
 */
function ownRouteMemo(app: ServiceApp): (method: string | undefined, path: string) => boolean {
  const byMethod = new Map<string, Map<string, boolean>>();
  return (method, path) => {
    const m = method ?? 'GET';
    let paths = byMethod.get(m);
    if (!paths) {
      if (byMethod.size >= 16) byMethod.clear(); // methods are client-chosen tokens too
      paths = new Map();
      byMethod.set(m, paths);
    }
    let own = paths.get(path);
    if (own === undefined) {
      own = ownRoute(app, m, path);
      if (path.length > OWN_ROUTE_MEMO_PATH) return own;
      if (paths.size >= OWN_ROUTE_MEMO) paths.clear();
      paths.set(path, own);
    }
    return own;
  };
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
  const own = ownRouteMemo(app);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    let url = req.url;
    if (url !== undefined && url.charCodeAt(0) !== 47) {
      const absolute = fromAbsoluteForm(url);
      if (absolute?.host) {
        req.url = url = absolute.url;
        req.headers.host = absolute.host;
      }
    }
    // Not origin-form (`*`, or a scheme other than http(s)), HTTP/1.1 with no Host, or a
    // credential or Host sent twice: Fastify answers it (a 400 problem for the last two).
    if (closing || url?.charCodeAt(0) !== 47 || lacksHost(req) || repeatedSingleton(req.rawHeaders))
      return fastify(req, res);
    const target = normalizeTarget(url);
    // Everything after this point, Fastify's own routes included, sees the one normal form.
    if (target.ok && target.url !== url) req.url = target.url;
    if (target.ok && own(req.method, target.path)) fastify(req, res);
    else {
      // Fastify's listener (the kit's wrapper) watches its own requests' bodies; these bypass it.
      app.slowBodies.watch(req);
      new ProxyExchange(proxy, req, res, target).start();
    }
  });
}
