import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticDiscovery } from '../src/http/discovery.js';
import { createHttpClient } from '../src/http/http-client.js';
import { createService, type ServiceApp } from '../src/service/create-service.js';

let failing: Server;
let url: string;
let calls = 0;
let app: ServiceApp;

beforeAll(async () => {
  failing = createServer((_req, res) => {
    calls++;
    res.writeHead(503, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((r) => failing.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(failing.address() as AddressInfo).port}`;
  app = createService({ name: 'caller', version: '1', logLevel: 'silent', processMetrics: false });
  const ml = createHttpClient({
    service: 'ml-service',
    discovery: staticDiscovery({ 'ml-service': [url] }),
    retries: 0,
    circuit: { failureThreshold: 2, cooldownMs: 60_000 },
    circuits: app.circuits.listener,
  });
  app.get('/predict', async () => {
    const res = await ml.request({ path: '/models' });
    if (!res.ok) throw res.error;
    return res.data;
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await new Promise((r) => failing.close(r));
});

describe('circuit breakers you can see', () => {
  it('fails fast with 503 UPSTREAM_CIRCUIT_OPEN naming the dependency, and shows the state in metrics and readiness', async () => {
    const first = await app.inject({ url: '/predict' });
    expect(first.statusCode).toBe(503);
    expect(first.json().code).toBe('UNAVAILABLE');
    await app.inject({ url: '/predict' });
    expect(calls).toBe(2);

    const refused = await app.inject({ url: '/predict' });
    expect(calls).toBe(2); // no call made
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ code: 'UPSTREAM_CIRCUIT_OPEN', status: 503 });
    expect(refused.json().detail).toContain('ml-service');

    const metrics = (await app.inject({ url: '/metrics' })).body;
    console.log(
      'MET',
      metrics
        .split('\n')
        .filter((l) => l.includes('circuit'))
        .join('\n'),
    );
    expect(metrics).toContain(
      `opsmesh_circuit_state{target="ml-service",instance="${url}",service="caller"} 2`,
    );
    expect(metrics).toContain(
      `opsmesh_circuit_transitions_total{target="ml-service",instance="${url}",from="closed",to="open",service="caller"} 1`,
    );
    const ready = (await app.inject({ url: '/health/ready' })).json();
    expect(ready.circuits).toEqual([
      { target: 'ml-service', instance: url, state: 'open', since: expect.any(String) },
    ]);
  });
});
