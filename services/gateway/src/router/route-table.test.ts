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
});
