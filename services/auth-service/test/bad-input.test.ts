import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, bearer, type Harness, IN_MEMORY, login, startAuth } from './helpers.js';
import { collectRoutes, concreteUrl, type RouteInfo } from './routes.js';

const SQL = `' OR '1'='1'; DROP TABLE users; -- \\ " % _ $$ \u0000`;
const HUGE = 'x'.repeat(1024 * 1024);

/** Hostile input in every text field of every route: always a 4xx problem, never a 5xx. */
describe('bad input never causes a 500', () => {
  let h: Harness;
  let routes: RouteInfo[];
  let token: string;
  beforeAll(async () => {
    h = await startAuth(IN_MEMORY);
    const probe = buildApp(h.config, h.deps, { processMetrics: false });
    routes = collectRoutes(probe);
    await probe.ready();
    token = (await login(h.app, ADMIN_EMAIL, ADMIN_PASSWORD)).access_token;
  });
  afterAll(() => h?.close());

  function body(route: RouteInfo, field: string, value: string) {
    const out: Record<string, unknown> = {};
    for (const [name, schema] of Object.entries(route.bodyProperties)) {
      out[name] = schema.type === 'array' ? ['viewer'] : schema.type === 'integer' ? 1 : 'valid value 12345';
    }
    out[field] = value;
    return out;
  }

  it('SQL metacharacters and 1 MB strings in every body field, query parameter and path id', async () => {
    const failures: string[] = [];
    const seen = new Set<number>();
    let cases = 0;
    for (const route of routes) {
      if (route.url.startsWith('/keys/rotate') || route.url === '/logout') continue;
      const targets: { url: string; payload?: unknown }[] = [];
      for (const value of [SQL, HUGE]) {
        for (const field of Object.keys(route.bodyProperties))
          targets.push({ url: concreteUrl(route.url), payload: body(route, field, value) });
        for (const q of Object.keys(route.queryProperties))
          targets.push({ url: `${concreteUrl(route.url)}?${q}=${encodeURIComponent(value.slice(0, 4000))}` });
        if (route.url.includes(':'))
          targets.push({ url: concreteUrl(route.url, encodeURIComponent(value.slice(0, 2000))) });
      }
      for (const t of targets) {
        cases++;
        const res = await h.app.inject({
          method: route.method as 'POST',
          url: t.url,
          headers: bearer(token),
          ...(t.payload ? { payload: t.payload as object } : {}),
        });
        seen.add(res.statusCode);
        if (res.statusCode >= 500)
          failures.push(
            `${route.method} ${t.url.slice(0, 60)} -> ${res.statusCode} ${res.body.slice(0, 120)}`,
          );
        else if (res.statusCode >= 400 && !String(res.headers['content-type']).includes('problem+json'))
          failures.push(`${route.method} ${route.url}: ${res.statusCode} without problem+json`);
      }
    }
    expect(failures).toEqual([]);
    expect(cases).toBeGreaterThan(60);
    expect(seen.has(413) || seen.has(400)).toBe(true);
    // The tables are intact and the admin can still log in.
    await login(h.app, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  it('malformed JSON and wrong content types on every body route are 4xx', async () => {
    const failures: string[] = [];
    for (const route of routes.filter((r) => Object.keys(r.bodyProperties).length > 0)) {
      for (const [type, payload] of [
        ['application/json', '{"email": "a@b", '],
        ['application/json', '[1,2,3]'],
        ['text/plain', 'hello'],
        ['application/xml', '<x/>'],
      ] as const) {
        const res = await h.app.inject({
          method: route.method as 'POST',
          url: concreteUrl(route.url),
          headers: { ...bearer(token), 'content-type': type },
          payload,
        });
        if (res.statusCode < 400 || res.statusCode >= 500)
          failures.push(`${route.method} ${route.url} ${type} -> ${res.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
