// The console's views: one module each, loaded when first shown. A new view is one line here
// (and its module under views/); `nav` puts it in the header.
export const ROUTES = [
  { path: 'services', nav: 'Services', load: () => import('./views/services.js') },
  { path: 'alerts', nav: 'Alerts', load: () => import('./views/alerts.js') },
  { path: 'silences', nav: 'Silences', load: () => import('./views/silences.js') },
  { path: 'models', nav: 'Models', load: () => import('./views/models.js') },
  { path: 'models/:name', load: () => import('./views/model.js') },
  { path: 'chat', nav: 'Chat', load: () => import('./views/chat.js') },
  { path: 'traces', nav: 'Traces', load: () => import('./views/traces.js') },
  { path: 'traces/:traceId', load: () => import('./views/trace.js') },
  { path: 'api-keys', nav: 'API keys', load: () => import('./views/api-keys.js') },
];

/**
 * The route for a hash such as `#/models/iris-classifier?x=1`, with its parameters and query.
 *
 * @example
 * match('#/models/iris') // { route: { path: 'models/:name', ... }, params: { name: 'iris' }, query }
 */
export function match(hash) {
  const [path, search = ''] = hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  for (const route of ROUTES) {
    const pattern = route.path.split('/');
    if (pattern.length !== parts.length) continue;
    const params = {};
    const ok = pattern.every((p, i) => {
      if (p.startsWith(':')) {
        // A hand-typed or cut link may hold an escape that is not UTF-8 (`%E0%A4%A`): no match,
        // so the console falls back to its first view instead of throwing out of navigation.
        const value = decodeOrNull(parts[i]);
        if (value === null) return false;
        params[p.slice(1)] = value;
        return true;
      }
      return p === parts[i];
    });
    if (ok) return { route, params, query: new URLSearchParams(search) };
  }
  return null;
}

function decodeOrNull(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
