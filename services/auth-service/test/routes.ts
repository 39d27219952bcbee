import type { ServiceApp } from '@opsmesh/shared';

export interface RouteInfo {
  method: string;
  url: string;
  bodyProperties: Record<string, { type?: string; pattern?: string; format?: string }>;
  queryProperties: Record<string, { type?: string }>;
}

/** Records every route the app registers, with the schema of its body and query. */
export function collectRoutes(app: ServiceApp): RouteInfo[] {
  const routes: RouteInfo[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const schema = (route.schema ?? {}) as {
      body?: { properties?: object; anyOf?: { properties?: object }[] };
      querystring?: { properties?: object };
    };
    const body = schema.body?.properties ?? schema.body?.anyOf?.find((s) => s.properties)?.properties ?? {};
    for (const method of methods) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      routes.push({
        method,
        url: route.url,
        bodyProperties: body as RouteInfo['bodyProperties'],
        queryProperties: (schema.querystring?.properties ?? {}) as RouteInfo['queryProperties'],
      });
    }
  });
  return routes;
}

/** Routes reachable without credentials, by design. */
export const OPEN_ROUTES = new Set([
  'POST /login',
  'POST /refresh',
  'POST /register',
  'POST /token',
  'POST /introspect',
  'GET /.well-known/jwks.json',
  'GET /revocations',
  'GET /health/live',
  'GET /health/ready',
  'GET /metrics',
  'GET /docs/json',
]);

export function concreteUrl(url: string, id = 'usr_doesnotexist0000'): string {
  return url.replace(/:[a-zA-Z]+/g, id);
}
