// `npx opsmesh admin reset-password`, the command the start banner names for a lost admin
// password: refused while the platform holds the data directory, done with it stopped, and the new
// password logs in once the platform is back on the same data directory.
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, type RunningSystem, SYSTEM_ADMIN, startSystem } from '@opsmesh/shared/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { OPSMESH_BIN, runCli } from './run-cli.js';

describe('opsmesh admin reset-password (offline)', () => {
  let system: RunningSystem | undefined;
  const dirs: string[] = [];
  const tempDir = (prefix: string) => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
  afterAll(async () => {
    await system?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('refuses while auth runs, resets with it stopped, and the new password logs in', {
    timeout: 300_000,
  }, async () => {
    system = await startSystem();
    const env = { OPSMESH_CONFIG_DIR: tempDir('opsmesh-cli-'), OPSMESH_URL: system.gateway };
    const before = await runCli(['login', '--email', SYSTEM_ADMIN.email, '--password-stdin'], env, {
      input: SYSTEM_ADMIN.password,
    });
    expect(before.code).toBe(0);

    const busy = await runCli(['admin', 'reset-password'], { OPSMESH_DATA_DIR: system.dataDir });
    expect(busy.code).toBe(7);
    expect(busy.stderr).toMatch(/auth service is running on .*opsmesh users reset-password/);

    await system.supervisor.stop();
    // Exactly what the banner prints, run from the repository as a user would.
    const reset = await runCli(
      ['admin', 'reset-password', '--json'],
      { OPSMESH_DATA_DIR: system.dataDir },
      {
        command: ['npx', '--no-install', 'opsmesh'],
        cwd: REPO_ROOT,
      },
    );
    expect(reset.stderr).toBe('');
    expect(reset.code).toBe(0);
    expect(reset.json).toMatchObject({ email: SYSTEM_ADMIN.email, id: expect.stringMatching(/^usr_/) });
    const generated: string = reset.json.password;
    expect(generated).toMatch(/^\S{12,}$/);

    // The default data directory is ./data, where the command is run; a chosen password from stdin.
    const cwd = tempDir('opsmesh-cwd-');
    symlinkSync(system.dataDir, join(cwd, 'data'));
    const chosen = 'recovered after a lost password';
    const readable = await runCli(
      ['admin', 'reset-password', '--email', SYSTEM_ADMIN.email, '--password-stdin'],
      {},
      {
        input: chosen,
        cwd,
        command: [OPSMESH_BIN],
      },
    );
    expect(readable.code).toBe(0);
    expect(readable.stdout).toMatch(
      new RegExp(`^Password of ${SYSTEM_ADMIN.email.replace(/\./g, '\\.')} reset in .*data;`),
    );
    expect(readable.stdout).not.toMatch(/shown once/);

    const nowhere = await runCli(['admin', 'reset-password'], {}, { cwd: tempDir('opsmesh-empty-') });
    expect(nowhere.code).toBe(5);
    expect(nowhere.stderr).toMatch(/No auth database in .*OPSMESH_DATA_DIR/);

    await system.supervisor.start();
    // The session from before the reset is gone.
    const stale = await runCli(['whoami'], env);
    expect(stale.code).toBe(3);
    const old = await runCli(['login', '--email', SYSTEM_ADMIN.email, '--password-stdin'], env, {
      input: SYSTEM_ADMIN.password,
    });
    expect(old.code).toBe(3);
    const fresh = await runCli(['login', '--email', SYSTEM_ADMIN.email, '--password-stdin', '--json'], env, {
      input: chosen,
    });
    expect(fresh.code).toBe(0);
    expect(fresh.json.user).toBe(SYSTEM_ADMIN.email);
  });
});
