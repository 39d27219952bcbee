// The `opsmesh` bin against the whole platform started as processes: every command group with
// --json and a readable output, the exit codes of failures, and the stored login's token refresh.

import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  eventually,
  jsonCaller,
  REPO_ROOT,
  type RunningSystem,
  SYSTEM_ADMIN,
  startSystem,
} from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runInTerminal } from './run-cli.js';

const MODEL_FILE = join(REPO_ROOT, 'services/ml-service/models/iris-classifier.onnx');

/** An address on loopback where nothing listens: a port the system gave out, then freed. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

// Each step spawns the CLI as a user runs it (a second of CPU to start); on a machine busy with
// other work a test's few spawns can take longer than the default 30 s.
describe('opsmesh CLI against the running platform', { timeout: 120_000 }, () => {
  let system: RunningSystem;
  const dirs: string[] = [];
  /** A config directory of its own (a separate hosts.json), as another machine's user would have. */
  const configDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'opsmesh-cli-'));
    dirs.push(d);
    return d;
  };
  let adminEnv: NodeJS.ProcessEnv;
  /** The access token of the admin's stored login, for setting things up through the API directly. */
  const adminToken = (): string =>
    JSON.parse(readFileSync(join(adminEnv['OPSMESH_CONFIG_DIR']!, 'hosts.json'), 'utf8')).hosts[
      system.gateway
    ].access_token;
  const cli = (args: string[], env = adminEnv, input?: string) => runCli(args, env, { input: input ?? '' });

  beforeAll(async () => {
    system = await startSystem({
      SCRAPE_INTERVAL: '1s',
      SCRAPE_TIMEOUT: '1s',
      EVALUATION_INTERVAL: '1s',
      OTEL_BSP_SCHEDULE_DELAY: '500',
    });
    adminEnv = { OPSMESH_CONFIG_DIR: configDir(), OPSMESH_URL: system.gateway };
    const login = await cli(
      ['login', '--email', SYSTEM_ADMIN.email, '--password-stdin'],
      adminEnv,
      SYSTEM_ADMIN.password,
    );
    if (login.code !== 0) throw new Error(`admin login failed: ${login.stderr}\n${system.output()}`);
  }, 180_000);
  afterAll(async () => {
    await system?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('logs in keeping the tokens in hosts.json (0600), says who is logged in, logs out', async () => {
    const dir = configDir();
    const env = { OPSMESH_CONFIG_DIR: dir };
    const login = await cli(
      ['login', '--url', system.gateway, '--email', SYSTEM_ADMIN.email, '--password-stdin', '--json'],
      env,
      `${SYSTEM_ADMIN.password}\n`,
    );
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);
    expect(login.json).toMatchObject({ host: system.gateway, user: SYSTEM_ADMIN.email, roles: ['admin'] });
    const hostsFile = join(dir, 'hosts.json');
    expect(statSync(hostsFile).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const hosts = JSON.parse(readFileSync(hostsFile, 'utf8'));
    // The login's gateway becomes the default: no --url or OPSMESH_URL needed afterwards.
    expect(hosts.default).toBe(system.gateway);
    expect(hosts.hosts[system.gateway]).toMatchObject({
      user: SYSTEM_ADMIN.email,
      access_token: expect.any(String),
      refresh_token: expect.any(String),
    });

    const readable = await cli(['whoami'], env);
    expect(readable.code).toBe(0);
    expect(readable.stdout).toContain(`${SYSTEM_ADMIN.email} (Administrator) on ${system.gateway}`);
    expect(readable.stdout).toMatch(/roles: +admin/);
    const json = await cli(['whoami', '--json'], env);
    expect(json.json).toMatchObject({
      email: SYSTEM_ADMIN.email,
      permissions: expect.arrayContaining(['users:write']),
    });

    const logout = await cli(['logout', '--json'], env);
    expect(logout.json).toMatchObject({ loggedOut: true, sessionRevoked: true });
    expect(JSON.parse(readFileSync(hostsFile, 'utf8')).hosts[system.gateway]).toBeUndefined();
    // The session is revoked on the platform, not only forgotten here.
    const reuse = await jsonCaller(system.gateway)('POST', '/api/auth/refresh', undefined, {
      refresh_token: hosts.hosts[system.gateway].refresh_token,
    });
    expect(reuse.status).toBe(401);
    const after = await cli(['whoami', '--url', system.gateway], env);
    expect(after.code).toBe(3);
    expect(after.stderr).toMatch(/Not logged in to .*opsmesh login/);
  });

  it('prints the problem title and detail and exits with a distinct code', async () => {
    const env = { OPSMESH_CONFIG_DIR: configDir(), OPSMESH_URL: system.gateway };
    const wrong = await cli(
      ['login', '--email', SYSTEM_ADMIN.email, '--password-stdin'],
      env,
      'not the password at all',
    );
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(/^error: Invalid credentials: The email or password is incorrect\./);
    expect(wrong.stderr).toMatch(/AUTH_INVALID_CREDENTIALS, request /);
    const asJson = await cli(['models', 'predict', 'no-such-model', '--input', '[1,2,3,4]', '--json']);
    expect(asJson.code).toBe(5);
    expect(asJson.stdout).toBe('');
    expect(JSON.parse(asJson.stderr)).toMatchObject({ status: 404, code: expect.any(String), exitCode: 5 });
    const usage = await cli(['models', 'promote', 'x']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/Missing arguments[\s\S]*Usage: opsmesh models promote <name> <version>/);
    const unknownFlag = await cli(['users', 'list', '--colour']);
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toMatch(/--colour/);
    const unreachable = await cli(['whoami', '--url', 'http://127.0.0.1:9'], {
      OPSMESH_CONFIG_DIR: configDir(),
      OPSMESH_TOKEN: 'x',
    });
    expect(unreachable.code).toBe(10);
    expect(unreachable.stderr).toMatch(/Cannot reach the gateway at http:\/\/127\.0\.0\.1:9/);
  });

  it('uses OPSMESH_TOKEN (an API key) instead of a stored login', async () => {
    const api = jsonCaller(system.gateway);
    const token = adminToken();
    const key = await api('POST', '/api/auth/api-keys', token, { name: 'cli-test' });
    expect(key.status).toBe(201);
    const env = { OPSMESH_CONFIG_DIR: configDir(), OPSMESH_URL: system.gateway, OPSMESH_TOKEN: key.body.key };
    const me = await cli(['whoami', '--json'], env);
    expect(me.code).toBe(0);
    expect(me.json.email).toBe(SYSTEM_ADMIN.email);
    expect((await cli(['models', 'list', '--json'], env)).json.items.length).toBeGreaterThan(0);
    const wrong = await cli(['whoami'], { ...env, OPSMESH_TOKEN: 'omk_not_a_key' });
    expect(wrong.stderr).toMatch(/^error: Authentication required: /);
    expect(wrong.code).toBe(3);
  });

  it('keys: create shows the key once, it works through the gateway, list, revoke by prefix; bad input named', async () => {
    const created = await cli([
      'keys',
      'create',
      '--name',
      'ci deploy',
      '--expires',
      '30d',
      '--permission',
      'models:read',
    ]);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const key = /^ {2}(omk_\S+)$/m.exec(created.stdout)?.[1];
    expect(key).toBeDefined();
    expect(created.stdout).toMatch(/Created API key key_\S+ "ci deploy", expires \d{4}-\d{2}-\d{2}\./);
    expect(created.stdout).toContain('This key will not be shown again');
    expect(created.stdout).toContain('X-API-Key: <key>');
    const keyEnv = { OPSMESH_CONFIG_DIR: configDir(), OPSMESH_URL: system.gateway, OPSMESH_TOKEN: key! };
    expect((await cli(['models', 'list', '--json'], keyEnv)).code).toBe(0);
    // The header the key's message names, as curl would send it.
    const viaHeader = await fetch(`${system.gateway}/api/ml/models`, { headers: { 'x-api-key': key! } });
    expect(viaHeader.status).toBe(200);
    // Scoped to models:read: the key cannot list users although its owner can.
    expect((await cli(['users', 'list'], keyEnv)).code).toBe(4);

    const asJson = await cli(['keys', 'create', '--name', 'second', '--expires', '2w', '--json']);
    expect(asJson.code).toBe(0);
    expect(asJson.json).toMatchObject({ name: 'second', key: expect.stringMatching(/^omk_/) });
    expect(Date.parse(asJson.json.expires_at) - Date.now()).toBeGreaterThan(13.9 * 86_400_000);

    const listed = await cli(['keys', 'list', '--json']);
    const mine = listed.json.items.find((k: { prefix: string }) => key!.startsWith(k.prefix));
    expect(mine).toMatchObject({ name: 'ci deploy', permissions: ['models:read'], revoked_at: null });
    expect(mine.key).toBeUndefined();
    const table = await cli(['keys', 'list']);
    expect(table.stdout).toMatch(/^ID +NAME +PREFIX +STATE +CREATED +LAST USED +EXPIRES +PERMISSIONS$/m);
    expect(table.stdout).toMatch(new RegExp(`${mine.id} +ci deploy +${mine.prefix} +live `));
    expect(table.stdout).not.toContain(key);

    const revoked = await cli(['keys', 'revoke', mine.prefix]);
    expect(revoked.stderr).toBe('');
    expect(revoked.stdout).toContain(`Revoked API key ${mine.id} "ci deploy"`);
    const refused = await eventually(
      () => cli(['models', 'list'], keyEnv),
      (r) => r.code === 3,
      15_000,
    );
    expect(refused.value.code).toBe(3);
    const again = await cli(['keys', 'revoke', mine.id]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/was already revoked/);

    const blank = await cli(['keys', 'create', '--name', ' ']);
    expect(blank.code).toBe(2);
    expect(blank.stderr).toMatch(/--name is required: a label .* e\.g\. --name ci-deploy/);
    const badExpiry = await cli(['keys', 'create', '--name', 'x', '--expires', 'soon']);
    expect(badExpiry.code).toBe(2);
    expect(badExpiry.stderr).toMatch(
      /--expires takes a duration in days, weeks or years \(30d, 12w, 1y\) or a date/,
    );
    const tooLong = await cli(['keys', 'create', '--name', 'x', '--expires', '2y']);
    expect(tooLong.stderr).toMatch(/a key lasts 1 to 365 days/);
    const unknownPermission = await cli(['keys', 'create', '--name', 'x', '--permission', 'models:fly']);
    expect(unknownPermission.code).toBe(6);
    expect(unknownPermission.stderr).toMatch(/models:fly/);
    const unknown = await cli(['keys', 'revoke', 'key_nosuchkey']);
    expect(unknown.code).toBe(5);
    expect(unknown.stderr).toMatch(/No API key of yours matches "key_nosuchkey"; `opsmesh keys list`/);
  });

  it('users: create, list, reset a password, disable; a viewer is refused with exit 4', async () => {
    const email = `cli.${Date.now().toString(36)}@opsmesh.test`;
    const created = await cli(['users', 'create', '--email', email, '--name', 'Cli Person', '--json']);
    expect(created.code).toBe(0);
    expect(created.json).toMatchObject({
      email,
      display_name: 'Cli Person',
      roles: ['viewer'],
      status: 'active',
    });
    expect(created.json.password).toMatch(/^\S{12,}$/);

    const again = await cli(['users', 'create', '--email', email, '--password', 'another long passphrase']);
    expect(again.code).toBe(7);
    expect(again.stderr).toMatch(/already|taken/i);
    const bad = await cli([
      'users',
      'create',
      '--email',
      'not-an-email',
      '--password',
      'another long passphrase',
    ]);
    expect(bad.code).toBe(6);
    expect(bad.stderr).toMatch(/email/);

    const listed = await cli(['users', 'list', '--search', email, '--json']);
    expect(listed.json.items.map((u: { email: string }) => u.email)).toEqual([email]);
    const table = await cli(['users', 'list']);
    expect(table.stdout).toMatch(/^ID +EMAIL +NAME +ROLES +STATUS +LAST LOGIN$/m);
    expect(table.stdout).toMatch(
      new RegExp(`usr_\\S+ +${email.replace(/\./g, '\\.')} +Cli Person +viewer +active`),
    );

    const chosen = 'a passphrase set from the cli';
    const reset = await cli(['users', 'reset-password', email, '--password-stdin'], adminEnv, chosen);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(`Password of ${email} reset`);
    const viewerEnv = { OPSMESH_CONFIG_DIR: configDir(), OPSMESH_URL: system.gateway };
    const viewerLogin = await cli(['login', '--email', email, '--password-stdin'], viewerEnv, chosen);
    expect(viewerLogin.code).toBe(0);
    const refused = await cli(['users', 'list'], viewerEnv);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/users:read/);

    const disabled = await cli(['users', 'disable', created.json.id, '--json']);
    expect(disabled.json).toMatchObject({ id: created.json.id, status: 'disabled' });
    // Disabling revoked the viewer's session: the stored login no longer works.
    const gone = await eventually(
      () => cli(['whoami'], viewerEnv),
      (r) => r.code === 3,
      10_000,
    );
    expect(gone.value.code).toBe(3);
  });

  it('models: upload (streamed), promote, list, predict, roll back', async () => {
    const name = `cli-iris-${Date.now().toString(36)}`;
    const first = await cli([
      'models',
      'upload',
      name,
      MODEL_FILE,
      '--description',
      'from the cli',
      '--json',
    ]);
    expect(first.stderr).toBe('');
    expect(first.json).toMatchObject({ model: name, version: 1, sizeBytes: statSync(MODEL_FILE).size });
    const second = await cli(['models', 'upload', name, MODEL_FILE]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`^Uploaded ${name} v2 \\(.+, sha256 [0-9a-f]{12}\\)\\.`));
    // No alias pins the model yet: predicting by name already serves v2.
    expect(second.stdout).toContain(
      `Predict with it now (by name, a model with no production alias serves its latest version): opsmesh models predict ${name} --input '<row>'`,
    );
    expect(second.stdout).toContain(`Pin it: opsmesh models promote ${name} 2`);

    expect((await cli(['models', 'promote', name, '1', '--json'])).json).toMatchObject({
      alias: 'production',
      version: 1,
    });
    const promoted = await cli(['models', 'promote', name, '2']);
    expect(promoted.stdout.trim()).toBe(`${name}: production now serves v2.`);

    const list = await cli(['models', 'list', '--json']);
    expect(list.json.items.find((m: { name: string }) => m.name === name)).toMatchObject({
      latestVersion: 2,
      aliases: { production: 2 },
    });
    const listTable = await cli(['models', 'list']);
    expect(listTable.stdout).toMatch(
      new RegExp(`^${name} +v2 +production=v2 +.* ${SYSTEM_ADMIN.email} `, 'm'),
    );

    const predicted = await cli([
      'models',
      'predict',
      name,
      '--input',
      '[[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]',
      '--json',
    ]);
    expect(predicted.code).toBe(0);
    expect(predicted.json).toMatchObject({ model: name, version: 2, alias: 'production' });
    expect(predicted.json.predictions).toHaveLength(2);
    // One row as JSON, or written plainly as chat and the console take it.
    for (const input of ['[5.1, 3.5, 1.4, 0.2]', '5.1 3.5 1.4 0.2']) {
      const oneRow = await cli(['models', 'predict', name, '--version', '1', '--input', input]);
      expect(oneRow.stdout, input).toMatch(new RegExp(`^${name} v1\\nROW +PREDICTION`));
    }
    const wrongShape = await cli(['models', 'predict', name, '--input', '[1, 2]']);
    expect(wrongShape.code).toBe(6);
    expect(wrongShape.stderr).toMatch(/^error: /);

    const rolled = await cli(['models', 'rollback', name, '--json']);
    expect(rolled.json).toMatchObject({ alias: 'production', version: 1 });
    const missingFile = await cli(['models', 'upload', name, join(tmpdir(), 'no-such-file.onnx')]);
    expect(missingFile.code).toBe(2);
    expect(missingFile.stderr).toMatch(/Cannot read .*no-such-file\.onnx/);
  });

  it('models versions: every version with its aliases, uploader, size and status; v2 taken as 2', async () => {
    const name = `cli-versions-${Date.now().toString(36)}`;
    for (let i = 0; i < 2; i++) expect((await cli(['models', 'upload', name, MODEL_FILE])).code).toBe(0);
    expect((await cli(['models', 'promote', name, 'v2'])).stdout.trim()).toBe(
      `${name}: production now serves v2.`,
    );
    const json = await cli(['models', 'versions', name, '--json']);
    expect(json.code).toBe(0);
    expect(
      json.json.items.map((v: { version: number; aliases: string[] }) => [v.version, v.aliases]),
    ).toEqual([
      [1, []],
      [2, ['production']],
    ]);
    const readable = await cli(['models', 'versions', name]);
    expect(readable.stdout).toMatch(/^VERSION +ALIASES +CREATED +BY +SIZE +SHA256 +STATUS$/m);
    const size = `${statSync(MODEL_FILE).size} B`;
    expect(readable.stdout).toMatch(
      new RegExp(`^v1 +- +.* ago +${SYSTEM_ADMIN.email} +${size} +[0-9a-f]{12} +(loaded|not loaded)$`, 'm'),
    );
    expect(readable.stdout).toMatch(new RegExp(`^v2 +production +.* ${SYSTEM_ADMIN.email} `, 'm'));
    const missing = await cli(['models', 'versions', 'no-such-model']);
    expect(missing.code).toBe(5);
    expect(missing.stderr).toMatch(/No model named "no-such-model"; `opsmesh models list` lists them/);
  });

  it("a new user's first commands: status, chat, and the wrong address named as such", async () => {
    const status = await cli(['status']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/^SERVICE +STATE +READY +AVAILABILITY \(1H\)$/m);
    for (const service of ['auth-service', 'ml-service', 'monitoring-service', 'chatops-service', 'gateway'])
      expect(status.stdout).toMatch(new RegExp(`^${service} +(ready|starting) +[01]/1 `, 'm'));
    expect((await cli(['status', '--json'])).json).toMatchObject({ services: expect.any(Array) });

    const chat = await cli(['chat', 'list', 'models']);
    expect(chat.code, chat.stderr).toBe(0);
    expect(chat.stdout).toContain('iris-classifier');
    expect(chat.stdout).not.toMatch(/\*iris-classifier\*/);
    // Suggestions are the command to type here, not Slack's /ops form.
    const ask = await cli(['chat', 'rollback']);
    expect(ask.code, ask.stderr).toBe(0);
    expect(ask.stdout).toContain('Did you mean:\n');
    expect(ask.stdout).toMatch(/^ {2}opsmesh chat "models rollback iris-classifier"$/m);
    expect(ask.stdout).not.toMatch(/^ {2}opsmesh chat \/ops/m);
    const change = await cli(['chat', 'rollback', 'iris-classifier', 'to', 'v1', 'in', 'staging']);
    expect(change.code).toBe(0);

    // A service's own port, a path after the gateway's, and https on its plain HTTP.
    const auth = system.supervisor.url('auth-service');
    const env = { OPSMESH_CONFIG_DIR: configDir() };
    for (const [url, said] of [
      [auth, `${auth} is not the opsmesh gateway: it has no POST /api/auth/login`],
      [`${system.gateway}/api`, `give the gateway's address without a path, e.g. ${system.gateway}`],
      [system.gateway.replace('http:', 'https:'), `speaks plain HTTP: use ${system.gateway}`],
    ] as const) {
      const r = await cli(
        ['login', '--url', url, '--email', SYSTEM_ADMIN.email, '--password-stdin'],
        env,
        'x',
      );
      expect(r.code, r.stderr).toBe(10);
      expect(r.stderr).toContain(said);
    }
    // Logged in to one gateway, a typo'd address is named for what it is (a service's own port,
    // or nothing listening), not as one to log in to, with the gateway that holds the login.
    const typo = await cli(['models', 'list', '--url', auth]);
    expect(typo.code, typo.stderr).toBe(10);
    expect(typo.stderr).toContain(`${auth} is not the opsmesh gateway`);
    expect(typo.stderr).toContain(`You are logged in to ${system.gateway}: use that address`);
    expect(typo.stderr).not.toContain('opsmesh login --url');
    const closed = await closedPort();
    const nothing = await cli(['models', 'upload', 'm', MODEL_FILE, '--url', closed]);
    expect(nothing.code, nothing.stderr).toBe(10);
    expect(nothing.stderr).toContain(`Cannot reach the gateway at ${closed} (ECONNREFUSED)`);
    expect(nothing.stderr).toContain(`You are logged in to ${system.gateway}`);
    // Not logged in to a gateway that answers: log in there.
    const fresh = await cli(['models', 'list', '--url', system.gateway], { OPSMESH_CONFIG_DIR: configDir() });
    expect(fresh.code).toBe(3);
    expect(fresh.stderr).toContain(`Not logged in to ${system.gateway}. Run: opsmesh login --url`);
    const bare = await cli(['whoami', '--url', system.gateway.replace('http://', '')]);
    expect(bare.code, bare.stderr).toBe(0);
  });

  it('alerts: list firing first, acknowledge, silence by fingerprint, unsilence', {
    timeout: 90_000,
  }, async () => {
    const api = jsonCaller(system.gateway);
    const token = adminToken();
    const rule = await api('POST', '/api/monitoring/rules', token, {
      name: 'CliGatewayUp',
      expr: { kind: 'series', selector: 'up{service="gateway"}', function: 'value' },
      op: '==',
      threshold: 1,
      for: '0s',
      severity: 'critical',
    });
    expect(rule.status).toBe(201);
    const firing = await eventually(
      () => cli(['alerts', 'list', '--state', 'firing', '--json']),
      (r) => r.json?.alerts?.some((a: { alertname: string }) => a.alertname === 'CliGatewayUp'),
      60_000,
    );
    const alert = firing.value.json.alerts.find((a: { alertname: string }) => a.alertname === 'CliGatewayUp');
    const readable = await cli(['alerts', 'list']);
    expect(readable.stdout).toMatch(/^STATE +SEVERITY +ALERT +SERVICE +VALUE +SINCE +HANDLED +FINGERPRINT$/m);
    expect(readable.stdout.split('\n')[1]).toMatch(/^firing +critical /);
    expect(readable.stdout).toMatch(
      new RegExp(`firing +critical +CliGatewayUp +gateway +1 .* ${alert.fingerprint}`),
    );

    const acked = await cli(['alerts', 'ack', alert.fingerprint, '--comment', 'looking', '--json']);
    expect(acked.json).toMatchObject({
      fingerprint: alert.fingerprint,
      acknowledgedBy: expect.stringMatching(/^usr_/),
    });

    const handled = await cli(['alerts', 'list', '--state', 'firing']);
    expect(handled.stdout).toMatch(
      new RegExp(
        `CliGatewayUp .* acked by ${SYSTEM_ADMIN.email.replace(/\./g, '\\.')} +${alert.fingerprint}`,
      ),
    );

    const silenced = await cli([
      'alerts',
      'silence',
      alert.fingerprint,
      '--duration',
      '30m',
      '--comment',
      'planned',
      '--json',
    ]);
    expect(silenced.code).toBe(0);
    expect(silenced.json.matchers).toEqual(
      expect.arrayContaining([{ name: 'alertname', op: '=', value: 'CliGatewayUp' }]),
    );
    const silences = await cli(['alerts', 'silences', '--state', 'active']);
    expect(silences.stdout).toMatch(new RegExp(`^${silenced.json.id} +active +.*planned$`, 'm'));
    await eventually(
      () => cli(['alerts', 'list', '--json']),
      (r) =>
        r.json?.alerts?.some(
          (a: { fingerprint: string; silencedBy: string[] }) =>
            a.fingerprint === alert.fingerprint && a.silencedBy.includes(silenced.json.id),
        ),
      30_000,
    );
    const lifted = await cli(['alerts', 'unsilence', alert.fingerprint, '--json']);
    expect(lifted.code).toBe(0);
    expect(lifted.json.silences).toEqual([
      expect.objectContaining({ id: silenced.json.id, state: 'expired' }),
    ]);
    const badMatcher = await cli(['alerts', 'silence', 'alertname']);
    expect(badMatcher.code).toBe(6);
    expect(badMatcher.stderr).toMatch(/alertname/);
  });

  it('traces get: one trace as a tree of spans', async () => {
    const api = jsonCaller(system.gateway);
    const token = adminToken();
    const found = await eventually(
      () => api('GET', '/api/monitoring/traces?limit=20', token),
      (r) => r.body?.traces?.some((t: { spanCount: number }) => t.spanCount > 1),
      30_000,
    );
    const summary = found.value.body.traces.find((t: { spanCount: number }) => t.spanCount > 1);
    const json = await cli(['traces', 'get', summary.traceId, '--json']);
    expect(json.json.trace.traceId).toBe(summary.traceId);
    // Spans of a trace may still be arriving: the answer agrees with itself, and has at least the listed ones.
    expect(json.json.spans.length).toBe(json.json.trace.spanCount);
    expect(json.json.spans.length).toBeGreaterThanOrEqual(summary.spanCount);
    const readable = await cli(['traces', 'get', summary.traceId]);
    expect(readable.stdout).toMatch(new RegExp(`^trace ${summary.traceId}: `));
    // Children are indented under their parent.
    expect(readable.stdout).toMatch(/\n {2}\S+: /);
    const missing = await cli(['traces', 'get', '0'.repeat(32)]);
    expect(missing.code).toBe(5);
  });

  it('on a terminal: asks for the email and the password (not echoed), and draws the upload progress bar', async () => {
    const env = { OPSMESH_CONFIG_DIR: configDir(), OPSMESH_URL: system.gateway };
    const login = await runInTerminal(['login'], env, [
      [/Email: /, SYSTEM_ADMIN.email],
      [/Password: /, SYSTEM_ADMIN.password],
    ]);
    expect(login.code).toBe(0);
    expect(login.stdout).toContain(`Logged in to ${system.gateway} as ${SYSTEM_ADMIN.email} (admin).`);
    expect(login.stdout).not.toContain(SYSTEM_ADMIN.password);

    const name = `cli-tty-${Date.now().toString(36)}`;
    const upload = await runInTerminal(['models', 'upload', name, MODEL_FILE], env);
    expect(upload.code).toBe(0);
    expect(upload.stdout).toMatch(/\r\[#{30}\] 100% {2}\S+ \S+ \/ \S+ \S+\r?\n/);
    expect(upload.stdout).toContain(`Uploaded ${name} v1`);
  });

  it('refreshes an expired access token, and one the gateway refuses, keeping the rotated refresh token', async () => {
    const dir = configDir();
    const env = { OPSMESH_CONFIG_DIR: dir, OPSMESH_URL: system.gateway };
    expect(
      (await cli(['login', '--email', SYSTEM_ADMIN.email, '--password-stdin'], env, SYSTEM_ADMIN.password))
        .code,
    ).toBe(0);
    const file = join(dir, 'hosts.json');
    const read = () => JSON.parse(readFileSync(file, 'utf8'));
    const edit = (change: (entry: Record<string, string>) => void) => {
      const doc = read();
      change(doc.hosts[system.gateway]);
      writeFileSync(file, JSON.stringify(doc), { mode: 0o600 });
    };
    const first = read().hosts[system.gateway];

    // Expired by the clock: refreshed before the request.
    edit((e) => {
      e['expires_at'] = new Date(Date.now() - 1000).toISOString();
    });
    expect((await cli(['whoami', '--json'], env)).json.email).toBe(SYSTEM_ADMIN.email);
    const second = read().hosts[system.gateway];
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    expect(Date.parse(second.expires_at)).toBeGreaterThan(Date.now() + 60_000);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    // Refused by the gateway while the clock says it is valid: refreshed on the 401 and retried.
    edit((e) => {
      e['access_token'] = 'not.a.token';
    });
    expect((await cli(['whoami', '--json'], env)).json.email).toBe(SYSTEM_ADMIN.email);
    const third = read().hosts[system.gateway];
    expect(third.refresh_token).not.toBe(second.refresh_token);

    // The same for a streamed upload: the file is sent again with the renewed token.
    edit((e) => {
      e['access_token'] = 'not.a.token';
    });
    const upload = await cli(
      ['models', 'upload', `cli-renew-${Date.now().toString(36)}`, MODEL_FILE, '--json'],
      env,
    );
    expect(upload.code).toBe(0);
    expect(upload.json.version).toBe(1);
    expect(read().hosts[system.gateway].refresh_token).not.toBe(third.refresh_token);

    // Several commands finding the token expired at once: one refreshes, the others take its token
    // (without the lock each would spend the same refresh token and the platform would end the session).
    edit((e) => {
      e['expires_at'] = new Date(0).toISOString();
    });
    const together = await Promise.all([1, 2, 3, 4].map(() => cli(['whoami', '--json'], env)));
    expect(together.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    const after = read().hosts[system.gateway];
    expect((await cli(['whoami', '--json'], env)).json.email).toBe(SYSTEM_ADMIN.email);
    expect(read().hosts[system.gateway].refresh_token).toBe(after.refresh_token);

    // A spent refresh token ends the session (the platform revokes the family): log in again.
    edit((e) => {
      e['refresh_token'] = second.refresh_token;
      e['expires_at'] = new Date(0).toISOString();
    });
    const ended = await cli(['whoami'], env);
    expect(ended.code).toBe(3);
    expect(ended.stderr).toMatch(/session on .* has ended .*opsmesh login/);
    expect(read().hosts[system.gateway]).toBeUndefined();
  });
});
