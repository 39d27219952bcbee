import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../testing/eventually.js';
import { LivenessProbe, type LivenessSettings } from './liveness-probe.js';

const fast: LivenessSettings = {
  initialDelayMs: 0,
  periodMs: 50,
  timeoutMs: 100,
  failureThreshold: 3,
  startupMs: 60_000,
};

/** A /health/live endpoint whose behaviour a test switches: answer, hold the request, or 503. */
async function endpoint(instance = 'ins_a') {
  type Mode = 'ok' | 'hang' | 'fail';
  const state = { mode: 'ok' as Mode | ((hit: number) => Mode), held: [] as ServerResponse[], hits: 0 };
  const server: Server = createServer((_req, res) => {
    state.hits++;
    const mode = typeof state.mode === 'function' ? state.mode(state.hits) : state.mode;
    if (mode === 'hang') return void state.held.push(res);
    res.writeHead(mode === 'ok' ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: mode, instance }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health/live`;
  const close = () => {
    for (const res of state.held) res.destroy();
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  };
  return { state, url, close };
}

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

function probeOf(url: string, settings: Partial<LivenessSettings> = {}, instance?: string) {
  const reports: Array<{ failures: number; lastError: string }> = [];
  const probe = new LivenessProbe({
    url,
    settings: { ...fast, ...settings },
    instance,
    onUnhealthy: (failures, lastError) => reports.push({ failures, lastError }),
  });
  cleanup.push(() => probe.stop());
  probe.start();
  return reports;
}

describe('LivenessProbe', () => {
  it('reports a process that stops answering after failureThreshold timeouts in a row, once', async () => {
    const ep = await endpoint();
    cleanup.push(ep.close);
    const reports = probeOf(ep.url);
    await eventually(
      () => ep.state.hits,
      (n) => n >= 3,
    );
    expect(reports).toEqual([]);
    ep.state.mode = 'hang';
    const seen = await eventually(
      () => reports.length,
      (n) => n > 0,
      10_000,
    );
    expect(seen.value).toBe(1);
    expect(reports[0]).toEqual({ failures: 3, lastError: 'no answer within 100 ms' });
    const hits = ep.state.hits;
    await new Promise((r) => setTimeout(r, 300));
    expect(ep.state.hits).toBe(hits);
    expect(reports).toHaveLength(1);
  });

  it('forgives failures that a good answer interrupts', async () => {
    const ep = await endpoint();
    cleanup.push(ep.close);
    const reports = probeOf(ep.url, { failureThreshold: 3 });
    // Two failures, one success, two failures ...: never three in a row.
    ep.state.mode = (hit) => (hit % 3 === 0 ? 'ok' : 'fail');
    await eventually(
      () => ep.state.hits,
      (n) => n >= 15,
      10_000,
    );
    expect(reports).toEqual([]);
  });

  it('counts nothing against a process still starting, until the startup window has passed', async () => {
    const ep = await endpoint();
    cleanup.push(ep.close);
    ep.state.mode = 'fail';
    const starting = probeOf(ep.url, { startupMs: 60_000 });
    await eventually(
      () => ep.state.hits,
      (n) => n >= 8,
      10_000,
    );
    expect(starting).toEqual([]);
    const stuck = probeOf(ep.url, { startupMs: 200 });
    const seen = await eventually(
      () => stuck.length,
      (n) => n > 0,
      10_000,
    );
    expect(seen.value).toBe(1);
    expect(stuck[0]?.lastError).toBe('answered 503');
  });

  it('fails an answer from another instance than the one started', async () => {
    const ep = await endpoint('ins_someone_else');
    cleanup.push(ep.close);
    const reports = probeOf(ep.url, { startupMs: 0 }, 'ins_mine');
    await eventually(
      () => reports.length,
      (n) => n > 0,
      10_000,
    );
    expect(reports[0]?.lastError).toMatch(/instance ins_someone_else, not the process started/);
  });

  it('does not probe at all with a period of 0', async () => {
    const ep = await endpoint();
    cleanup.push(ep.close);
    probeOf(ep.url, { periodMs: 0 });
    await new Promise((r) => setTimeout(r, 200));
    expect(ep.state.hits).toBe(0);
  });
});
