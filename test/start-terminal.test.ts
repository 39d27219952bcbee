import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually, freePort } from '@opsmesh/shared/testing';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const CLI = 'node --conditions=source --import tsx packages/shared/src/supervisor/cli.ts';
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour sequences are what is stripped
const ANSI = /\u001b\[[0-9;]*m/g;

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
}

/** `npm start -- auth-service` as a person runs it: in a pseudo-terminal (`script`), or piped. */
function run(env: NodeJS.ProcessEnv, tty: boolean, services = 'auth-service'): Run {
  const command = `${CLI} ${services}`;
  const child = tty
    ? spawn('script', ['-qec', `cd '${root}' && exec ${command}`, '/dev/null'], { env, stdio: 'pipe' })
    : spawn('sh', ['-c', `exec ${command}`], { cwd: root, env, stdio: 'pipe' });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString('utf8');
  });
  return { child, stdout: () => out, stderr: () => err };
}

async function until(what: () => boolean, ms = 120_000): Promise<void> {
  await eventually(what, (ok) => ok, ms);
  expect(what()).toBe(true);
}

/** Ctrl-C: typed into the terminal for the pty run, a SIGINT to the piped one. */
async function interrupt(r: Run, tty: boolean): Promise<void> {
  const exited = new Promise((resolve) => r.child.once('exit', resolve));
  if (tty) r.child.stdin?.write('\u0003');
  else r.child.kill('SIGINT');
  await exited;
}

describe('npm start on a terminal and in a pipe', () => {
  it('prints readable event lines and the admin password on a terminal, JSON lines in a pipe, and how to reset it later', {
    timeout: 300_000,
  }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'opsmesh-terminal-'));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      OPSMESH_DATA_DIR: dataDir,
      AUTH_PORT: String(port),
      OPSMESH_ADMIN_PASSWORD: '',
      LOG_LEVEL: 'info',
      LOG_FORMAT: '',
      NO_COLOR: '',
    };
    try {
      // First start, on a terminal: readable lines with colours, the password in the final block.
      const first = run(env, true);
      try {
        await until(() => first.stdout().includes('Press Ctrl-C to stop everything.'));
        const password = /Password: (\S+)/.exec(first.stdout().replace(ANSI, ''))?.[1];
        expect(password).toBeDefined();
        const login = await fetch(`${base}/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'admin@opsmesh.local', password }),
        });
        expect(login.status).toBe(200);
        expect((await fetch(`${base}/no-such-route`)).status).toBe(404);
      } finally {
        await interrupt(first, true);
      }
      const screen = first.stdout().replace(ANSI, '').replaceAll('\r', '');
      expect(first.stdout()).toMatch(ANSI);
      expect(screen).toMatch(
        new RegExp(`^\\d\\d:\\d\\d:\\d\\d auth-service +auth-service ready at ${base}$`, 'm'),
      );
      expect(screen).toMatch(
        /^\d\d:\d\d:\d\d auth-service +bootstrap admin created \(email=admin@opsmesh\.local\)$/m,
      );
      expect(screen).toContain('  Admin:    admin@opsmesh.local');
      // The service's own shutdown lines come after the two requests' lines in its log stream:
      // seeing them means the request lines were there to show, and were left out.
      expect(screen).toMatch(/auth-service +shutting down/);
      expect(screen).not.toMatch(/request completed|no-such-route|\/login/);
      expect(screen).not.toMatch(/^\{"level"/m);

      // Second start, piped: JSON lines only on stdout (requests included), the block on stderr.
      const second = run(env, false);
      try {
        await until(() => second.stderr().includes('Press Ctrl-C to stop everything.'));
        expect((await fetch(`${base}/no-such-route`)).status).toBe(404);
      } finally {
        await interrupt(second, false);
      }
      const lines = second
        .stdout()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines).toContainEqual(
        expect.objectContaining({ service: 'supervisor', msg: `auth-service ready at ${base}` }),
      );
      expect(lines).toContainEqual(
        expect.objectContaining({ service: 'auth-service', msg: 'request completed', url: '/no-such-route' }),
      );
      expect(second.stderr()).not.toContain('Password:');
      expect(second.stderr()).toContain('Lost it? Stop opsmesh and run `npx opsmesh admin reset-password`');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('stops on Ctrl-C in order: the terminal signal reaches the supervisor alone, which stops each service', {
    timeout: 300_000,
  }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'opsmesh-terminal-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      OPSMESH_DATA_DIR: dataDir,
      AUTH_PORT: String(await freePort()),
      CHATOPS_PORT: String(await freePort()),
      OPSMESH_ADMIN_PASSWORD: '',
      LOG_LEVEL: 'info',
      // JSON lines on the terminal too: each service's shutdown line says which signal it got.
      LOG_FORMAT: 'json',
    };
    try {
      const r = run(env, true, 'auth-service chatops-service');
      try {
        await until(() => r.stderr().includes('Press Ctrl-C') || r.stdout().includes('Press Ctrl-C'));
      } finally {
        // Typed on the terminal: the line discipline signals its whole foreground process group.
        await interrupt(r, true);
      }
      const lines = r
        .stdout()
        .replaceAll('\r', '')
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { service?: string; msg?: string; signal?: string });
      const stops = lines.filter((l) => l.msg === 'shutting down: draining in-flight requests');
      expect(stops.map((l) => [l.service, l.signal])).toEqual([
        ['chatops-service', 'SIGTERM'],
        ['auth-service', 'SIGTERM'],
      ]);
      const done = (service: string) =>
        lines.findIndex((l) => l.service === service && l.msg === 'shutdown complete');
      expect(done('chatops-service')).toBeGreaterThan(-1);
      expect(lines.indexOf(stops[1]!)).toBeGreaterThan(done('chatops-service'));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
