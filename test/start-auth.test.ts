import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverServices, Supervisor } from '@opsmesh/shared';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/** What `npm start` does on a fresh machine, for the auth service: bootstrap admin, login, /me. */
describe('a fresh start of the auth service as a process', () => {
  it('holds the generated admin password for the banner once, which logs in; /me answers; a restart keeps it', {
    timeout: 180_000,
  }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'opsmesh-start-'));
    const port = 21000 + Math.floor(Math.random() * 2000);
    const output: string[] = [];
    const make = () =>
      new Supervisor({
        root,
        services: discoverServices(root).filter((s) => s.name === 'auth-service'),
        env: {
          ...process.env,
          OPSMESH_DATA_DIR: dataDir,
          AUTH_PORT: String(port),
          LOG_LEVEL: 'info',
          OPSMESH_ADMIN_PASSWORD: '',
        },
        say: () => {},
        onOutput: (_service, line) => output.push(line),
        readyTimeoutMs: 150_000,
      });
    const first = make();
    try {
      await first.start();
      // The supervisor keeps it for its "opsmesh is running" block; it is not among the log lines.
      expect(first.adminCredentials?.email).toBe('admin@opsmesh.local');
      const password = first.adminCredentials!.password;
      expect(output.join('\n')).not.toContain(password);
      // Log lines are JSON with the service name and, for requests, the request id.
      const json = output.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
      expect(json.every((l) => l.service === 'auth-service')).toBe(true);

      const base = `http://127.0.0.1:${port}`;
      const login = await fetch(`${base}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@opsmesh.local', password }),
      });
      expect(login.status).toBe(200);
      const { access_token } = (await login.json()) as { access_token: string };
      const me = await fetch(`${base}/me`, {
        headers: { authorization: `Bearer ${access_token}`, 'x-request-id': 'e2e-start-1' },
      });
      expect(((await me.json()) as { roles: string[] }).roles).toEqual(['admin']);
      await first.stop();

      output.length = 0;
      const second = make();
      await second.start();
      try {
        // Once: a second start creates no admin and has no password to show.
        expect(second.adminCredentials).toBeNull();
        expect(output.some((l) => l.includes('Password (shown once)'))).toBe(false);
        const again = await fetch(`${base}/me`, { headers: { authorization: `Bearer ${access_token}` } });
        expect(again.status).toBe(200);
      } finally {
        await second.stop();
      }
    } finally {
      await first.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
