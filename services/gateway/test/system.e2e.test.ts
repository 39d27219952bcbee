// The whole platform as processes (the kit's supervisor starts each service), used through
// the gateway only. Runs once every service has its entry point; until then it is skipped
// and says which service is missing.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SERVICE_PORTS, portVariable, type ServiceSpec, Supervisor } from '@opsmesh/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const names = ['auth-service', 'ml-service', 'monitoring-service', 'chatops-service', 'gateway'];
const missing = names.filter((n) => !existsSync(join(root, 'services', n, 'src/main.ts')));
const ADMIN = { email: 'admin@opsmesh.test', password: 'correct-horse-battery-42' };

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe.skipIf(missing.length > 0)(
  `the platform through the gateway${missing.length ? ` (missing: ${missing.join(', ')})` : ''}`,
  () => {
    let supervisor: Supervisor;
    let gateway: string;
    let dataDir: string;
    const output: string[] = [];

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'opsmesh-system-'));
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        OPSMESH_DATA_DIR: dataDir,
        OPSMESH_ADMIN_EMAIL: ADMIN.email,
        OPSMESH_ADMIN_PASSWORD: ADMIN.password,
        LOG_LEVEL: 'warn',
      };
      delete env['OPSMESH_SERVICES'];
      delete env['DATABASE_URL'];
      const services: ServiceSpec[] = [];
      for (const [order, name] of names.entries()) {
        const pkg = JSON.parse(readFileSync(join(root, 'services', name, 'package.json'), 'utf8'));
        env[portVariable(name)] = String(await freePort()); // never the default ports another run may hold
        services.push({
          name,
          dir: join(root, 'services', name),
          port: pkg.opsmesh?.port ?? DEFAULT_SERVICE_PORTS[name],
          order,
          public: name === 'gateway',
          entry: 'src/main.ts',
        });
      }
      supervisor = new Supervisor({
        root,
        env,
        services,
        onOutput: (s, l) => output.push(`${s}: ${l}`),
        say: () => {},
        readyTimeoutMs: 90_000,
      });
      try {
        await supervisor.start();
      } catch (err) {
        throw new Error(`${(err as Error).message}\n${output.slice(-30).join('\n')}`);
      }
      gateway = supervisor.url('gateway');
    }, 400_000);

    afterAll(async () => {
      await supervisor?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }, 60_000);

    const call = async (method: string, path: string, token?: string, body?: unknown) => {
      const res = await fetch(gateway + path, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
    };

    it('logs in, calls each service, and refuses as each service says', async () => {
      const login = await call('POST', '/api/auth/login', undefined, ADMIN);
      expect(login.status).toBe(200);
      expect(login.headers.get('ratelimit-limit')).toBe('10');
      const admin = login.body.access_token as string;

      expect((await call('GET', '/api/auth/me', admin)).status).toBe(200);
      expect((await call('GET', '/api/ml/models', admin)).status).toBe(200);
      expect((await call('GET', '/api/monitoring/alerts', admin)).status).toBe(200);
      expect((await call('GET', '/api/chatops/runs', admin)).status).toBe(200);
      expect((await call('GET', '/api/auth/.well-known/jwks.json')).status).toBe(200);

      const viewer = { email: 'viewer@opsmesh.test', password: 'staple-lantern-orbit-77' };
      const created = await call('POST', '/api/auth/users', admin, {
        ...viewer,
        display_name: 'Viewer',
        roles: ['viewer'],
      });
      expect(created.status).toBe(201);
      const viewerToken = (await call('POST', '/api/auth/login', undefined, viewer)).body
        .access_token as string;

      const noToken = await call('GET', '/api/ml/models');
      expect(noToken.status).toBe(401);
      expect(noToken.headers.get('content-type')).toContain('application/problem+json');
      const forbidden = await call('POST', '/api/ml/models', viewerToken, { name: 'not-allowed' });
      expect(forbidden.status).toBe(403);
      expect(forbidden.body).toMatchObject({
        code: 'FORBIDDEN',
        detail: expect.stringContaining('models:write'),
      });
      const usersDenied = await call('GET', '/api/auth/users', viewerToken);
      expect(usersDenied.status).toBe(403);
    });
  },
);
