import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type ServiceSpec, Supervisor } from '../src/supervisor/supervisor.js';
import { eventually } from '../src/testing/eventually.js';
import { freePort } from '../src/testing/external-servers.js';

const fixture = fileURLToPath(new URL('./fixtures/services/steady', import.meta.url));

function spec(name: string, port: number): ServiceSpec {
  return { name, dir: fixture, port, order: 1, public: false, entry: 'main.ts' };
}

async function pidOf(url: string): Promise<number | null> {
  try {
    const res = await fetch(`${url}/health/ready`);
    return ((await res.json()) as { pid: number }).pid;
  } catch {
    return null;
  }
}

describe('Supervisor', () => {
  it('starts each service as a process, restarts a crashed one, and stops them all', async () => {
    const port = 19000 + Math.floor(Math.random() * 500);
    const messages: string[] = [];
    const supervisor = new Supervisor({
      root: '/nonexistent',
      services: [spec('steady-service', port)],
      env: { ...process.env, STEADY_PORT: String(port) },
      say: (m) => messages.push(m),
      onOutput: () => {},
    });
    try {
      await supervisor.start();
      const url = supervisor.url('steady-service');
      const first = await pidOf(url);
      expect(first).toBe(supervisor.pid('steady-service'));
      supervisor.kill('steady-service');
      let second: number | null = null;
      for (let i = 0; i < 60 && (second === null || second === first); i++) {
        await new Promise((r) => setTimeout(r, 200));
        second = await pidOf(url);
      }
      expect(second).not.toBeNull();
      expect(second).not.toBe(first);
      expect(messages.some((m) => /exited .* restarting in 500 ms/.test(m))).toBe(true);
      // The restarted process is announced once ready, as the first one was.
      await eventually(
        () => messages.filter((m) => m.startsWith('steady-service ready at')).length,
        (n) => n === 2,
        10_000,
      );
      expect(messages.filter((m) => m.startsWith('steady-service ready at'))).toHaveLength(2);
    } finally {
      await supervisor.stop();
    }
    expect(supervisor.pid('steady-service')).toBeUndefined();
  });

  it('starts again after stop(), as a whole-platform restart does', async () => {
    const port = await freePort();
    const messages: string[] = [];
    const supervisor = new Supervisor({
      root: '/nonexistent',
      services: [spec('steady-service', port)],
      env: { ...process.env, STEADY_PORT: String(port) },
      say: (m) => messages.push(m),
      onOutput: () => {},
    });
    try {
      await supervisor.start();
      const first = supervisor.pid('steady-service');
      await supervisor.stop();
      await supervisor.start();
      expect(await pidOf(supervisor.url('steady-service'))).toBe(supervisor.pid('steady-service'));
      expect(supervisor.pid('steady-service')).not.toBe(first);
      // It is supervised again: a crash is restarted.
      supervisor.kill('steady-service');
      await eventually(
        () => messages.filter((m) => m.startsWith('steady-service ready at')).length,
        (n) => n === 3,
        10_000,
      );
      expect(messages.filter((m) => m.startsWith('steady-service ready at'))).toHaveLength(3);
    } finally {
      await supervisor.stop();
    }
  });

  it('starts services that wait only for the same one together, shows their lines in order, stops dependents first', async () => {
    // base first; slow-service and quick-service together once base is ready; the entry last.
    const names = ['base-service', 'slow-service', 'quick-service', 'entry-service'];
    const ports = await Promise.all(names.map(() => freePort()));
    const specs: ServiceSpec[] = names.map((name, i) => ({
      ...spec(name, ports[i]!),
      order: i + 1,
      public: name === 'entry-service',
      after: name === 'base-service' || name === 'entry-service' ? [] : ['base-service'],
    }));
    const seen: { service: string; what: string; at: Date }[] = [];
    const supervisor = new Supervisor({
      root: '/nonexistent',
      services: specs,
      env: {
        ...process.env,
        ...Object.fromEntries(
          names.map((n, i) => [`${n.replace('-service', '').toUpperCase()}_PORT`, String(ports[i])]),
        ),
        SAY_LIFECYCLE: '1',
        [`LISTEN_AFTER_MS_${ports[1]}`]: '1500',
      },
      say: (m, _level, service, at) =>
        seen.push({ service: service ?? '', what: m.split(' ')[1] ?? m, at: at! }),
      onOutput: (service, line, at) => seen.push({ service, what: line, at }),
    });
    try {
      await supervisor.start();
      const at = (service: string, what: string) =>
        seen.find((e) => e.service === service && e.what === what)?.at.getTime() ?? Number.NaN;
      // quick-service was launched before slow-service was ready: they started together...
      expect(at('quick-service', 'started')).toBeLessThan(at('slow-service', 'ready'));
      expect(at('quick-service', 'ready')).toBeLessThan(at('slow-service', 'ready'));
      expect(at('slow-service', 'started')).toBeGreaterThanOrEqual(at('base-service', 'ready'));
      expect(at('entry-service', 'started')).toBeGreaterThanOrEqual(at('slow-service', 'ready'));
      // ...and what they printed is shown in the listed order, as a start one after another would.
      const runs = seen.map((e) => e.service).filter((service, i, all) => service !== all[i - 1]);
      expect(runs).toEqual(names);
      for (const n of names) expect(at(n, 'started')).toBeLessThanOrEqual(at(n, 'ready'));
    } finally {
      seen.length = 0;
      await supervisor.stop();
    }
    // A child's last line may be read just after its exit is seen.
    const stopping = await eventually(
      () => seen.filter((e) => e.what === 'stopping').map((e) => e.service),
      (list) => list.length === 4,
      5000,
    );
    expect(stopping.value[0]).toBe('entry-service');
    expect(stopping.value.at(-1)).toBe('base-service');
  });

  it('fails start-up with the reason when a service never becomes ready', async () => {
    const port = await freePort();
    const supervisor = new Supervisor({
      root: '/nonexistent',
      services: [{ ...spec('ghost-service', port), entry: 'does-not-exist.ts' }],
      env: { ...process.env, GHOST_PORT: String(port) },
      say: () => {},
      onOutput: () => {},
      readyTimeoutMs: 1500,
      maxBackoffMs: 100,
    });
    await expect(supervisor.start()).rejects.toThrow(/ghost-service was not ready/);
    await supervisor.stop();
  });

  describe('liveness', () => {
    // Quick probes so a test takes seconds; the startup window still covers a slow start.
    const probing = {
      OPSMESH_LIVENESS_INITIAL_DELAY_SECONDS: '0.2',
      OPSMESH_LIVENESS_PERIOD_SECONDS: '0.3',
      OPSMESH_LIVENESS_TIMEOUT_SECONDS: '0.5',
      OPSMESH_LIVENESS_FAILURE_THRESHOLD: '3',
      OPSMESH_LIVENESS_STARTUP_SECONDS: '30',
      OPSMESH_KILL_GRACE_SECONDS: '0.5',
    };

    /** The steady fixture under a supervisor probing quickly, with `env` added (not yet started). */
    async function probed(env: Record<string, string>) {
      const port = await freePort();
      const messages: string[] = [];
      const supervisor = new Supervisor({
        root: '/nonexistent',
        services: [spec('steady-service', port)],
        env: { ...process.env, ...probing, STEADY_PORT: String(port), ...env },
        say: (m) => messages.push(m),
        onOutput: () => {},
      });
      return { supervisor, messages, url: supervisor.url('steady-service') };
    }

    it('replaces a child whose event loop is blocked, and says why', async () => {
      const { supervisor, messages, url } = await probed({ HANG_AFTER_MS: '1500' });
      try {
        await supervisor.start();
        const first = await pidOf(url);
        expect(first).toBe(supervisor.pid('steady-service'));
        // Blocked, the first process still holds its socket: only a kill lets a new one answer.
        const replaced = await eventually(
          () => pidOf(url),
          (pid) => pid !== null && pid !== first,
          30_000,
        );
        expect(replaced.value).not.toBeNull();
        expect(replaced.value).not.toBe(first);
        expect(messages).toContainEqual(
          expect.stringMatching(
            /^steady-service did not answer \/health\/live 3 times in a row \(0\.5 s timeout; last: no answer within 500 ms\); restarting$/,
          ),
        );
        // SIGTERM cannot run on a blocked loop: the kill after the grace ended it.
        expect(messages).toContainEqual(
          expect.stringMatching(/^steady-service exited \(SIGKILL\); restarting/),
        );
      } finally {
        await supervisor.stop();
      }
    });

    it('leaves a healthy child that is slow to start alone', async () => {
      // Eight probe periods pass before it listens: each would be a failure without the startup window.
      const { supervisor, messages, url } = await probed({ LISTEN_AFTER_MS: '2500' });
      try {
        await supervisor.start();
        const pid = await pidOf(url);
        expect(pid).toBe(supervisor.pid('steady-service'));
        await new Promise((r) => setTimeout(r, 2000));
        expect(await pidOf(url)).toBe(pid);
        expect(messages.filter((m) => /restarting|did not answer/.test(m))).toEqual([]);
      } finally {
        await supervisor.stop();
      }
    });
  });

  describe('ports and readiness', () => {
    const held: Array<Server | import('node:http').Server> = [];
    afterEach(async () => {
      for (const server of held.splice(0)) {
        if ('closeAllConnections' in server) server.closeAllConnections();
        await new Promise((r) => server.close(r));
      }
    });

    /** The steady fixture under a supervisor, its output and messages kept (not yet started). */
    async function steady(env: Record<string, string>) {
      const port = await freePort();
      const messages: string[] = [];
      const output: string[] = [];
      const supervisor = new Supervisor({
        root: '/nonexistent',
        services: [spec('steady-service', port)],
        env: { ...process.env, STEADY_PORT: String(port), ...env },
        say: (m) => messages.push(m),
        onOutput: (_service, line) => output.push(line),
        maxBackoffMs: 100,
      });
      return { supervisor, messages, output, port };
    }

    it('refuses to start when a port is taken, naming the variable that moves it, and starts nothing', async () => {
      const { supervisor, port } = await steady({});
      // Another program on the port: it reads what it is sent and never answers.
      const holder = createServer((socket) => socket.resume());
      held.push(holder);
      await new Promise<void>((r) => holder.listen(port, '127.0.0.1', r));
      await expect(supervisor.start()).rejects.toThrow(
        `port ${port} is in use (steady-service); set STEADY_PORT=<a free port> (or stop what listens there)`,
      );
      expect(supervisor.pid('steady-service')).toBeUndefined();
      await supervisor.stop();
    });

    it('says the platform is already running when its own services answer on every taken port', async () => {
      const { supervisor, port } = await steady({});
      // What a running copy answers: an opsmesh service's liveness, by name.
      const running = createHttpServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'ok', service: 'steady-service', instance: 'ins_other' }));
      });
      await new Promise<void>((r) => running.listen(port, '127.0.0.1', r));
      try {
        const failure = supervisor.start();
        await expect(failure).rejects.toThrow(
          /^opsmesh is already running here: steady-service answers on its port\. Stop it \(Ctrl-C where it was started\) and run this again; to run a second copy beside it, set the port variables/,
        );
        expect(supervisor.pid('steady-service')).toBeUndefined();
      } finally {
        await new Promise((r) => running.close(r));
        await supervisor.stop();
      }
    });

    it('takes readiness only from the process it started, stops restarting one whose port was taken, and shows no password it made', async () => {
      // The port is free when checked and taken before the child listens (1.5 s later).
      const { supervisor, messages, output, port } = await steady({
        LISTEN_AFTER_MS: '1500',
        ADMIN_PASSWORD: 'made-by-a-child-that-never-served',
      });
      const starting = supervisor.start();
      starting.catch(() => {});
      await eventually(
        () => supervisor.pid('steady-service'),
        (pid) => pid !== undefined,
        10_000,
      );
      const impostor = createHttpServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'ok', instance: 'ins_impostor' }));
      });
      held.push(impostor);
      await new Promise<void>((r) => impostor.listen(port, '127.0.0.1', r));
      try {
        await expect(starting).rejects.toThrow(
          new RegExp(
            `^steady-service exited \\(code 1\\) and cannot listen again: port ${port} is in use \\(steady-service\\); set STEADY_PORT=<a free port> \\(or stop what listens there\\); not restarting it$`,
          ),
        );
        expect(messages.filter((m) => /ready at|restarting in/.test(m))).toEqual([]);
        expect(messages).toContainEqual(
          expect.stringMatching(/created the bootstrap admin but exited before it was ready/),
        );
        expect(supervisor.adminCredentials).toBeNull();
        expect(output.join('\n')).not.toContain('made-by-a-child-that-never-served');
      } finally {
        await supervisor.stop();
      }
    });

    it('holds back the generated admin password until the process that printed it is ready', async () => {
      const { supervisor, output } = await steady({ ADMIN_PASSWORD: 'kept-for-the-banner-42' });
      try {
        await supervisor.start();
        expect(supervisor.adminCredentials).toEqual({
          email: 'admin@steady.test',
          password: 'kept-for-the-banner-42',
        });
        expect(output.join('\n')).not.toContain('kept-for-the-banner-42');
      } finally {
        await supervisor.stop();
      }
    });
  });
});
