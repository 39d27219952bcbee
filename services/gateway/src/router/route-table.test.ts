import { describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../config/load-gateway-config.js';
import { LocalStore } from '../rate-limit/local-store.js';
import { RouteTable } from './route-table.js';

const yaml = `format_version: "1"
plugins:
  - name: jwt
  - name: rate-limit
    config: { policy: redis, second: 10 }
services:
  - name: auth
    upstream: auth-service
    routes:
      - name: auth-login
        paths: [/api/auth/login]
        methods: [POST]
        strip_path: /api/auth
        plugins:
          - name: anonymous
          - name: rate-limit
            config: { limit_by: ip, minute: 5 }
      - name: auth-api
        paths: [/api/auth]
        strip_path: true
        plugins:
          - name: api-key
      - name: admin
        paths: [/api/auth/admin/]
        plugins:
          - name: jwt
            config: { permission: users:write }
          - name: rate-limit
            enabled: false
`;

describe('RouteTable', () => {
  const local = new LocalStore();
  const table = RouteTable.build(parseGatewayConfig(yaml), { local, redis: undefined });

  it('takes the longest prefix on segment boundaries and strips as configured', () => {
    const login = table.match('POST', '/api/auth/login');
    expect(login).toMatchObject({
      kind: 'route',
      upstreamPath: '/login',
      stripped: '/api/auth',
      route: { name: 'auth-login' },
    });
    expect(table.match('GET', '/api/auth/users/usr_1')).toMatchObject({
      upstreamPath: '/users/usr_1',
      stripped: '/api/auth',
    });
    expect(table.match('GET', '/api/auth')).toMatchObject({ upstreamPath: '/', stripped: '/api/auth' });
    expect(table.match('GET', '/api/authx')).toEqual({ kind: 'none' });
    expect(table.match('GET', '/api/auth/admin/x')).toMatchObject({
      route: { name: 'admin' },
      upstreamPath: '/api/auth/admin/x',
      stripped: '',
    });
  });

  it('falls through to a shorter prefix when the method does not match', () => {
    // GET /api/auth/login is not the login route, but the general auth route takes it.
    expect(table.match('GET', '/api/auth/login')).toMatchObject({ route: { name: 'auth-api' } });
  });

  it('resolves plugins: route over service over global, disabled switches off', () => {
    const byName = Object.fromEntries(table.routes.map((r) => [r.name, r]));
    expect(byName['auth-login']!.auth).toEqual({
      open: true,
      jwt: false,
      apiKey: false,
      permission: undefined,
    });
    expect(byName['auth-login']!.limiter?.windows).toEqual([{ windowMs: 60_000, limit: 5 }]);
    expect(byName['auth-api']!.auth).toMatchObject({ open: false, jwt: true, apiKey: true });
    expect(byName['auth-api']!.limiter?.windows).toEqual([{ windowMs: 1000, limit: 10 }]);
    expect(byName['admin']!.auth).toMatchObject({ jwt: true, apiKey: false, permission: 'users:write' });
    expect(byName['admin']!.limiter).toBeUndefined();
  });

  it('answers a method mismatch when only method-restricted routes match', () => {
    const only = parseGatewayConfig(yaml.replace('paths: [/api/auth]\n', 'paths: [/api/other]\n'));
    const t = RouteTable.build(only, { local, redis: undefined });
    expect(t.match('GET', '/api/auth/login')).toEqual({ kind: 'method', allowed: ['POST'] });
  });

  it('matches as a longest-prefix scan does, over many random routes', () => {
    // The reference: every prefix on segment boundaries, longest first, config order on ties.
    const segs = ['a', 'b', 'api', 'v1', 'x'];
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pathOf = (depth: number) =>
      `/${Array.from({ length: depth }, () => segs[rand(segs.length)]).join('/')}`;
    const routes = Array.from({ length: 60 }, (_, i) => {
      const prefix = rand(8) === 0 ? '/' : pathOf(1 + rand(3)) + (rand(4) === 0 ? '/' : '');
      const methods = rand(3) === 0 ? ['POST'] : rand(4) === 0 ? ['GET', 'PUT'] : undefined;
      return { name: `r${i}`, prefix, methods };
    });
    const config = parseGatewayConfig(`format_version: "1"
services:
  - name: s
    upstream: u
    routes:
${routes
  .map(
    (r) => `      - name: ${r.name}
        paths: ["${r.prefix}"]${r.methods ? `\n        methods: [${r.methods.join(', ')}]` : ''}`,
  )
  .join('\n')}
`);
    const t = RouteTable.build(config, { local, redis: undefined });
    const sorted = routes
      .map((r, i) => ({ ...r, i }))
      .sort((x, y) => y.prefix.length - x.prefix.length || x.i - y.i);
    const reference = (method: string, path: string) => {
      const allowed: string[] = [];
      for (const r of sorted) {
        const fits =
          path.startsWith(r.prefix) &&
          (path.length === r.prefix.length || r.prefix.endsWith('/') || path[r.prefix.length] === '/');
        if (!fits) continue;
        if (r.methods && !r.methods.includes(method) && !(method === 'HEAD' && r.methods.includes('GET'))) {
          allowed.push(...r.methods);
          continue;
        }
        return r.name;
      }
      return allowed.length ? `405 ${[...new Set(allowed)].join(',')}` : 'none';
    };
    for (let k = 0; k < 2000; k++) {
      const path = pathOf(rand(5)) + (rand(5) === 0 ? '/' : '');
      const method = ['GET', 'POST', 'HEAD', 'PUT'][rand(4)]!;
      const m = t.match(method, path);
      const got =
        m.kind === 'route' ? m.route.name : m.kind === 'method' ? `405 ${m.allowed.join(',')}` : 'none';
      expect(got, `${method} ${path}`).toBe(reference(method, path));
    }
  });
});
