// `npm start`'s own command line: help, and an option it does not take refused before anything
// starts (it was ignored, and every service started).
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/testing/external-servers.js';

const SHARED = join(dirname(fileURLToPath(import.meta.url)), '..');

// Every service's port is one this test holds: had the arguments been ignored, the supervisor
// would have stopped at its port check, starting nothing.
let held: Server;
let port = 0;
beforeAll(async () => {
  port = await freePort();
  held = createServer();
  await new Promise<void>((r) => held.listen(port, '127.0.0.1', r));
});
afterAll(async () => {
  await new Promise((r) => held.close(r));
});

function supervisorCli(...args: string[]) {
  const ports = Object.fromEntries(
    ['GATEWAY_PORT', 'AUTH_PORT', 'ML_PORT', 'MONITORING_PORT', 'CHATOPS_PORT'].map((v) => [v, String(port)]),
  );
  const r = spawnSync(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', './src/supervisor/cli.ts', ...args],
    {
      cwd: SHARED,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, ...ports, LOG_FORMAT: 'json' },
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm start -- <arguments>', () => {
  it('prints its usage for --help and -h, starting nothing', () => {
    for (const flag of ['--help', '-h']) {
      const r = supervisorCli(flag);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^Usage: npm start \[-- <service>\.\.\.\]/);
      expect(r.stdout).toContain(
        'Services: auth-service, ml-service, monitoring-service, chatops-service, gateway',
      );
      expect(r.stderr).toBe('');
    }
  });

  it('refuses an option it does not take, naming it, with exit code 2', () => {
    const r = supervisorCli('--port', '9000');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      '[opsmesh] unknown option(s): --port; npm start takes service names (see npm start -- --help)\n',
    );
  });
});
