// Uploads refused while they are still being sent: by the upstream (the kit's 413, and a
// server that closes without reading on) and by the gateway's own body limit. The client reads
// each refusal, and none of them counts against the instance.
import { createTestIdentity, type TestIdentity } from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  mutableDiscovery,
  startFixture,
  startGateway,
  startUpstream,
  type TestGateway,
  type UpstreamProcess,
  uploadChunked,
} from './helpers.js';
import { testConfig } from './test-config.js';

let identity: TestIdentity;
let kit: UpstreamProcess;
let plain: UpstreamProcess;
let gw: TestGateway;
let auth: Record<string, string>;

const yaml = testConfig({
  extraRoutes: `  - name: uploads
    upstream: upload-service
    healthchecks:
      passive: { failures: 2, cooldown_ms: 60000 }
      active: { enabled: false }
    routes:
      - name: uploads
        paths: [/api/uploads]
        strip_path: true
        plugins:
          - name: body-limit
            config: { bytes: 268435456 }
  - name: plain
    upstream: plain-service
    healthchecks:
      passive: { failures: 2, cooldown_ms: 60000 }
      active: { enabled: false }
    routes:
      - name: plain
        paths: [/api/plain]
        strip_path: true
        plugins:
          - name: body-limit
            config: { bytes: 268435456 }
`,
});

beforeAll(async () => {
  identity = await createTestIdentity();
  [kit, plain] = await Promise.all([startFixture('kit-upload-service.ts', 'kit'), startUpstream('plain-1')]);
  const discovery = mutableDiscovery({
    'upload-service': [kit.url],
    'plain-service': [plain.url],
    'ml-service': [plain.url],
    'auth-service': [plain.url],
  });
  gw = await startGateway({ yaml, discovery, identity });
  auth = { authorization: `Bearer ${await identity.token({ roles: ['viewer'] })}` };
});

afterAll(async () => {
  await gw?.close();
  await Promise.all([kit?.kill(), plain?.kill()]);
  await identity?.close();
});

const instance = (upstream: string) => gw.app.gateway.upstreams.health()[upstream]![0]!;

describe('an upload refused while it is being sent', () => {
  it("relays the upstream's early 413 every time and keeps the instance in rotation", async () => {
    const statuses: string[] = [];
    for (let i = 0; i < 6; i++) {
      const { status, body } = await uploadChunked(`${gw.url}/api/uploads/upload`, 4 * 1024 * 1024, auth);
      statuses.push(status);
      if (status === '413') {
        expect(JSON.parse(body)).toMatchObject({
          code: 'PAYLOAD_TOO_LARGE',
          detail: expect.stringContaining('limit of 65536 bytes'),
        });
      }
    }
    expect(statuses).toEqual(Array(6).fill('413'));
    expect(instance('upload-service')).toMatchObject({
      available: true,
      consecutiveFailures: 0,
      outstanding: 0,
    });
    const small = await fetch(`${gw.url}/api/uploads/upload`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(1000, 1),
    });
    expect(await small.json()).toEqual({ bytes: 1000 });
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).not.toMatch(/gateway_upstream_errors_total\{[^}]*upstream="upload-service"/);
  });

  it('never holds a reset during the body against the instance, and says what happened', async () => {
    for (let i = 0; i < 6; i++) {
      const { status, body } = await uploadChunked(`${gw.url}/api/plain/refuse`, 4 * 1024 * 1024, auth);
      // Either the upstream's answer arrived before its reset, or the gateway says it closed early.
      if (status === '502')
        expect(JSON.parse(body)).toMatchObject({ code: 'GATEWAY_UPSTREAM_CLOSED_DURING_BODY' });
      else expect(status).toBe('413');
    }
    expect(instance('plain-service')).toMatchObject({
      available: true,
      consecutiveFailures: 0,
      outstanding: 0,
    });
    expect((await fetch(`${gw.url}/api/plain/echo`, { headers: auth })).status).toBe(200);
  });

  it("answers the gateway's own limit with 413 naming it, read by a client still sending", async () => {
    const statuses: string[] = [];
    for (let i = 0; i < 6; i++) {
      const { status, body } = await uploadChunked(`${gw.url}/api/ml/small/echo`, 4 * 1024 * 1024, auth);
      statuses.push(status);
      if (status === '413') {
        expect(JSON.parse(body)).toMatchObject({
          code: 'GATEWAY_PAYLOAD_TOO_LARGE',
          detail: expect.stringContaining('limit of 1024 bytes'),
        });
      }
    }
    expect(statuses).toEqual(Array(6).fill('413'));
    expect(instance('ml-service')).toMatchObject({ available: true, consecutiveFailures: 0 });
  });
});
