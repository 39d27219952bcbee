import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestIdentity, freePort, type TestIdentity } from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnGateway, startUpstream, type UpstreamProcess } from './helpers.js';
import { testConfig } from './test-config.js';

let identity: TestIdentity;
let ml: UpstreamProcess;
let gateway: ChildProcess;
let url: string;
let dir: string;
const logs: string[] = [];

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not met in time');
}

beforeAll(async () => {
  identity = await createTestIdentity();
  ml = await startUpstream('ml-1');
  dir = mkdtempSync(join(tmpdir(), 'gw-proc-'));
  writeFileSync(join(dir, 'gateway.yaml'), testConfig());
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  gateway = spawnGateway(port, join(dir, 'gateway.yaml'), {
    OPSMESH_SERVICES: `ml-service=${ml.url},auth-service=${new URL(identity.jwksUrl).origin}`,
    AUTH_URL: new URL(identity.jwksUrl).origin,
    JWT_ISSUER: identity.issuer,
    JWT_AUDIENCE: identity.audience,
    LOG_LEVEL: 'info',
  });
  const collect = (c: Buffer) => logs.push(...c.toString('utf8').split('\n').filter(Boolean));
  gateway.stdout!.on('data', collect);
  gateway.stderr!.on('data', collect);
  await until(async () => {
    try {
      return (await fetch(`${url}/health/ready`)).ok;
    } catch {
      return false;
    }
  }, 30_000);
});

afterAll(async () => {
  if (gateway && gateway.exitCode === null) {
    gateway.kill('SIGKILL');
  }
  await ml?.kill();
  await identity?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the gateway as a process', () => {
  it('writes one JSON access log line per request naming route, upstream and instance', async () => {
    const token = await identity.token({ roles: ['viewer'], sub: 'usr_logged' });
    await (
      await fetch(`${url}/api/ml/echo`, { headers: { authorization: `Bearer ${token}` } })
    ).arrayBuffer();
    await until(() => logs.some((l) => l.includes('request completed') && l.includes('usr_logged')), 5_000);
    const line = JSON.parse(logs.find((l) => l.includes('request completed') && l.includes('usr_logged'))!);
    expect(line).toMatchObject({
      gatewayRoute: 'ml-api',
      upstream: 'ml-service',
      instance: ml.url,
      attempts: 1,
      statusCode: 200,
      subject: 'usr_logged',
    });
    expect(line.requestId).toMatch(/^req_/);
  });

  it('reloads on SIGHUP, and refuses a bad file keeping the running config', async () => {
    const token = await identity.token({ roles: ['viewer'] });
    const probe = (path: string) => fetch(url + path, { headers: { authorization: `Bearer ${token}` } });
    expect((await probe('/api/models/echo')).status).toBe(404);
    writeFileSync(
      join(dir, 'gateway.yaml'),
      testConfig().replace('paths: [/api/ml]\n', 'paths: [/api/ml, /api/models]\n'),
    );
    gateway.kill('SIGHUP');
    await until(async () => (await probe('/api/models/echo')).status === 200, 5_000);

    writeFileSync(
      join(dir, 'gateway.yaml'),
      testConfig().replace('strip_path: true', 'strip_path: sometimes'),
    );
    gateway.kill('SIGHUP');
    await until(() => logs.some((l) => l.includes('gateway config refused')), 5_000);
    const refusal = logs.find((l) => l.includes('gateway config refused'))!;
    expect(refusal).toMatch(/gateway\.yaml:\d+:\d+ services\[0\]\.routes\[1\]\.strip_path/);
    expect((await probe('/api/models/echo')).status).toBe(200);
    expect(gateway.exitCode).toBeNull();
  });

  it('drains and exits 0 on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => gateway.once('exit', (code) => resolve(code)));
    gateway.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
