import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHarness, type Harness, startServer } from './helpers/harness.js';

let h: Harness;
let chatops: Awaited<ReturnType<typeof startServer>>;
const since = '2026-01-01T00:00:00.000Z';

beforeAll(async () => {
  chatops = await startServer((req) =>
    req.url === '/health/ready'
      ? {
          status: 200,
          type: 'application/json',
          body: JSON.stringify({
            status: 'ok',
            checks: [],
            circuits: [
              { target: 'ml-service', instance: 'http://10.0.0.7:8082', state: 'open', since },
              { bogus: true },
            ],
          }),
        }
      : { status: 200, body: '' },
  );
  h = await buildHarness({ services: { 'chatops-service': [chatops.url] } });
});
afterAll(async () => {
  await h?.close();
  await chatops?.close();
});

describe('circuit breakers in the service view', () => {
  it("lists each instance's circuits from its readiness answer, dropping malformed entries", async () => {
    await h.runtime.readiness.pollAll();
    const res = await h.app.inject({
      url: '/services',
      headers: { authorization: `Bearer ${await h.token(['viewer'])}` },
    });
    expect(res.statusCode).toBe(200);
    const [service] = res.json().services;
    expect(service.instances[0].circuits).toEqual([
      { target: 'ml-service', instance: 'http://10.0.0.7:8082', state: 'open', since },
    ]);
  });
});
