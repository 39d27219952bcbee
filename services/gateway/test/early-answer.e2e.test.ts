// Uploads refused while they are still being sent: by the upstream (the kit's 413, and a
// server that closes without reading on) and by the gateway's own body limit. The client reads
// each refusal, and none of them counts against the instance.
import {
  createTestIdentity,
  type RunningServer,
  stalledUpload,
  startUploadLimitService,
  type TestIdentity,
  uploadChunked,
} from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  mutableDiscovery,
  startGateway,
  startUpstream,
  type TestGateway,
  type UpstreamProcess,
} from './helpers.js';
import { testConfig } from './test-config.js';

let identity: TestIdentity;
let kit: RunningServer;
let plain: UpstreamProcess;
let gw: TestGateway;
let auth: Record<string, string>;

/** A service whose uploads may be large, with passive ejection after two failures and no probes. */
const uploadService = (name: string, upstream: string) => `  - name: ${name}
    upstream: ${upstream}
    healthchecks:
      passive: { failures: 2, cooldown_ms: 60000 }
      active: { enabled: false }
    routes:
      - name: ${name}
        paths: [/api/${name}]
        strip_path: true
        plugins:
          - name: body-limit
            config: { bytes: 268435456 }
`;
const yaml = testConfig({
  extraRoutes: uploadService('uploads', 'upload-service') + uploadService('plain', 'plain-service'),
});

beforeAll(async () => {
  identity = await createTestIdentity();
  [kit, plain] = await Promise.all([startUploadLimitService(65_536), startUpstream('plain-1')]);
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
  await Promise.all([kit?.stop(), plain?.kill()]);
  await identity?.close();
});

const instance = (upstream: string) => gw.app.gateway.upstreams.health()[upstream]![0]!;

/** Six 4 MiB chunked uploads one after another through the gateway, each answer parsed. */
async function uploads(path: string): Promise<{ status: string; problem: Record<string, unknown> }[]> {
  const out = [];
  for (let i = 0; i < 6; i++) {
    const { status, body } = await uploadChunked(gw.url + path, 4 * 1024 * 1024, auth);
    out.push({ status, problem: body ? (JSON.parse(body) as Record<string, unknown>) : {} });
  }
  return out;
}

describe('an upload refused while it is being sent', () => {
  it("relays the upstream's early 413 every time and keeps the instance in rotation", async () => {
    for (const answer of await uploads('/api/uploads/upload')) {
      expect(answer).toMatchObject({
        status: '413',
        problem: { code: 'PAYLOAD_TOO_LARGE', detail: expect.stringContaining('limit of 65536 bytes') },
      });
    }
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
    for (const answer of await uploads('/api/plain/refuse')) {
      // Either the upstream's answer arrived before its reset, or the gateway says it closed early.
      if (answer.status === '502')
        expect(answer.problem).toMatchObject({ code: 'GATEWAY_UPSTREAM_CLOSED_DURING_BODY' });
      else expect(answer.status).toBe('413');
    }
    expect(instance('plain-service')).toMatchObject({
      available: true,
      consecutiveFailures: 0,
      outstanding: 0,
    });
    expect((await fetch(`${gw.url}/api/plain/echo`, { headers: auth })).status).toBe(200);
  });

  it("answers the gateway's own limit with 413 naming it, read by a client still sending", async () => {
    for (const answer of await uploads('/api/ml/small/echo')) {
      expect(answer).toMatchObject({
        status: '413',
        problem: {
          code: 'GATEWAY_PAYLOAD_TOO_LARGE',
          detail: expect.stringContaining('limit of 1024 bytes'),
        },
      });
    }
    expect(instance('ml-service')).toMatchObject({ available: true, consecutiveFailures: 0 });
  });

  it('delivers each early answer to a client that stops reading for 3 s mid-upload', async () => {
    const cases = [
      { path: '/api/uploads/upload', headers: auth, status: 413 }, // the upstream's limit
      { path: '/api/ml/small/echo', headers: auth, status: 413 }, // the gateway's own limit
      { path: '/api/uploads/upload', headers: {}, status: 401 }, // no credentials
    ];
    const wrong: string[] = [];
    await Promise.all(
      cases.flatMap((c) =>
        [false, true].map(async (chunked) => {
          const got = await stalledUpload(gw.url + c.path, {
            bytes: 1_200_000,
            stallMs: 3_000,
            chunked,
            headers: { 'content-type': 'application/octet-stream', ...c.headers },
          });
          if (!got.startsWith(`HTTP/1.1 ${c.status} `))
            wrong.push(`${c.path} chunked=${chunked}: ${got.slice(0, 40) || 'nothing'}`);
        }),
      ),
    );
    expect(wrong).toEqual([]);
    expect(instance('upload-service')).toMatchObject({
      available: true,
      consecutiveFailures: 0,
      outstanding: 0,
    });
    expect(instance('ml-service')).toMatchObject({ available: true, consecutiveFailures: 0 });
  }, 60_000);
});
