import type { FastifyInstance } from 'fastify';
import type { GuardedRoute } from '../identity/guards.js';

export interface AuthMatrixOptions {
  /** A ready app built by createService (its guarded routes are recorded as it registers them). */
  app: FastifyInstance;
  /** A valid access token with these roles, signed the way the service's verifier expects. */
  token(roles: string[]): Promise<string>;
  /** Routes left out, as `METHOD /url` (say why at the call site). */
  skip?: readonly string[];
  /**
   * Routes of a protocol that keeps its own error body (the ML service's Open Inference
   * Protocol answers `{ "error": ... }`): their status is checked, not problem+json.
   */
  ownErrorBody?: (url: string) => boolean;
}

export interface AuthMatrixResult {
  /** The guarded routes checked, as `METHOD /url`. */
  checked: string[];
  /** One line per answer that was not the expected 401/403 problem. */
  failures: string[];
}

/** Route parameters that fail any pattern, and a query and bodies that fail any schema. */
const BAD_PARAM = '!!not-valid!!';
const BAD_QUERY = '__not_a_field__=%7B&limit=-1&window=nonsense';
const BODIES = [
  { name: 'a body of the wrong shape', payload: '{"__not_a_field__":[1,{"x":null}]}' },
  { name: 'a malformed JSON body', payload: '{"unterminated' },
] as const;

const concrete = (url: string) => url.replace(/:[A-Za-z0-9_]+/g, BAD_PARAM).replace(/\*$/, BAD_PARAM);

/**
 * The shared auth matrix: every guarded route of a service is called with invalid parameters,
 * an invalid query and an invalid body (wrong shape, then malformed JSON), and
 * - without credentials, or with a token that is not a JWT: 401 problem+json;
 * - with a valid token whose roles grant nothing: 403 problem+json naming the permission the
 *   route needs (routes any authenticated caller may use are skipped here).
 * Never a 400: credentials are checked before the request's shape, so an anonymous caller
 * learns nothing about what a route expects.
 *
 * @example
 * const { checked, failures } = await runAuthMatrix({ app, token: (roles) => identity.token({ roles }) });
 * expect(failures).toEqual([]);
 */
export async function runAuthMatrix(options: AuthMatrixOptions): Promise<AuthMatrixResult> {
  const { app } = options;
  const skip = new Set(options.skip ?? []);
  const routes = (app as FastifyInstance & { guardedRoutes: readonly GuardedRoute[] }).guardedRoutes.filter(
    (r) => !skip.has(`${r.method} ${r.url}`),
  );
  const powerless = await options.token([]);
  const failures: string[] = [];
  const expect = async (
    route: GuardedRoute,
    what: string,
    headers: Record<string, string>,
    status: number,
  ) => {
    for (const body of route.method === 'GET' || route.method === 'DELETE' ? [undefined] : BODIES) {
      const res = await app.inject({
        method: route.method as 'POST',
        url: `${concrete(route.url)}?${BAD_QUERY}`,
        headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { payload: body.payload } : {}),
      });
      const label = `${route.method} ${route.url} ${what}${body ? ` and ${body.name}` : ''}`;
      if (res.statusCode !== status) {
        failures.push(`${label}: ${res.statusCode} (expected ${status}) ${res.body.slice(0, 160)}`);
        continue;
      }
      const problem = !options.ownErrorBody?.(route.url);
      if (problem && !String(res.headers['content-type']).startsWith('application/problem+json'))
        failures.push(`${label}: content-type ${res.headers['content-type']}`);
      const permission = route.guards.find((g) => g.permission)?.permission;
      if (status === 403 && permission && !res.body.includes(permission))
        failures.push(`${label}: the 403 does not name "${permission}"`);
    }
  };
  for (const route of routes) {
    await expect(route, 'without credentials', {}, 401);
    await expect(route, 'with a token that is not a JWT', { authorization: 'Bearer not-a-jwt' }, 401);
    if (route.guards.some((g) => g.permission))
      await expect(route, 'with a token granting nothing', { authorization: `Bearer ${powerless}` }, 403);
  }
  return { checked: routes.map((r) => `${r.method} ${r.url}`), failures };
}
