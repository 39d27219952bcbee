import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type ServiceSpec, Supervisor } from '../src/supervisor/supervisor.js';

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
    } finally {
      await supervisor.stop();
    }
    expect(supervisor.pid('steady-service')).toBeUndefined();
  });

  it('fails start-up with the reason when a service never becomes ready', async () => {
    const supervisor = new Supervisor({
      root: '/nonexistent',
      services: [{ ...spec('ghost-service', 1), entry: 'does-not-exist.ts' }],
      env: { ...process.env, GHOST_PORT: '1' },
      say: () => {},
      onOutput: () => {},
      readyTimeoutMs: 1500,
      maxBackoffMs: 100,
    });
    await expect(supervisor.start()).rejects.toThrow(/ghost-service was not ready/);
    await supervisor.stop();
  });
});
