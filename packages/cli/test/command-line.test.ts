// The command line itself, no platform needed: help, version, options before the command, and
// usage errors with exit code 2.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('opsmesh command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'opsmesh-cmdline-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const env = { OPSMESH_CONFIG_DIR: dir };

  it('prints help and its version', async () => {
    const help = await runCli(['--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: opsmesh <command>/m);
    for (const group of ['login', 'users', 'keys', 'models', 'alerts', 'traces', 'status', 'chat', 'admin']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${group} `, 'm'));
    }
    const group = await runCli(['models', '--help'], env);
    expect(group.code).toBe(0);
    expect(group.stdout).toContain('opsmesh models upload <name> <file.onnx>');
    const predict = await runCli(['models', 'predict', '--help'], env);
    expect(predict.stdout).toContain("--input '<row | json>'");
    expect(predict.stdout).toContain('one row of numbers as in chat (5.1 3.5 1.4 0.2, or 5.1,3.5,1.4,0.2)');
    const keys = await runCli(['keys', '--help'], env);
    expect(keys.stdout).toContain(
      'opsmesh keys create --name <label> [--expires <30d | 12w | 1y | 2027-03-01>]',
    );
    const command = await runCli(['admin', 'reset-password', '--help'], env);
    expect(command.stdout).toMatch(/^Usage: opsmesh admin reset-password \[--email <email>\]/);
    for (const args of [['help'], ['help', 'models']]) {
      const asked = await runCli(args, env);
      expect(asked.code, asked.stderr).toBe(0);
      expect(asked.stdout).toContain(
        args[1] ? 'opsmesh models upload <name> <file.onnx>' : 'Usage: opsmesh <command>',
      );
    }
    const bare = await runCli(['alerts'], env);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/Name one of the alerts commands above/);
    const version = await runCli(['--version'], env);
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(version.stdout.trim()).toBe(pkg.version);
  });

  it('takes the global options before or after the command', async () => {
    for (const args of [
      ['--json', '--url', 'http://127.0.0.1:1', 'whoami'],
      ['whoami', '--url', 'http://127.0.0.1:1', '--json'],
    ]) {
      const r = await runCli(args, { ...env, OPSMESH_TOKEN: 'omk_test' });
      expect(r.code).toBe(10);
      expect(JSON.parse(r.stderr)).toMatchObject({
        exitCode: 10,
        title: expect.stringMatching(/127\.0\.0\.1:1/),
      });
    }
  });

  it('takes a gateway address without its scheme as plain HTTP, as curl does', async () => {
    const r = await runCli(['whoami', '--url', '127.0.0.1:1', '--json'], {
      ...env,
      OPSMESH_TOKEN: 'omk_test',
    });
    expect(r.code).toBe(10);
    expect(JSON.parse(r.stderr).title).toMatch(/Cannot reach the gateway at http:\/\/127\.0\.0\.1:1 /);
  });

  it('logs out of a gateway that is gone: the tokens are forgotten all the same', async () => {
    const host = 'http://127.0.0.1:1';
    const entry = {
      user: 'a@b.c',
      user_id: 'usr_1',
      access_token: 'at',
      refresh_token: 'rt',
      expires_at: new Date(Date.now() + 600_000).toISOString(),
    };
    writeFileSync(join(dir, 'hosts.json'), JSON.stringify({ default: host, hosts: { [host]: entry } }));
    const r = await runCli(['logout', '--json'], env);
    expect(r.code).toBe(0);
    expect(r.json).toEqual({ host, user: 'a@b.c', loggedOut: true, sessionRevoked: false });
    expect(JSON.parse(readFileSync(join(dir, 'hosts.json'), 'utf8'))).toEqual({ hosts: {} });
  });

  it('names the command or option a typo most likely meant, in its own words', async () => {
    const cases: [string[], RegExp][] = [
      [['user', 'list'], /^error: Unknown command "user"\. Did you mean "users"\?/],
      [['logn'], /Did you mean "login"\?/],
      [['alerts', 'silense', 'x'], /Unknown command "alerts silense"\. Did you mean "alerts silence"\?/],
      [
        ['users', 'create', '--emial', 'a@example.com'],
        /^error: Unknown option --emial\. Did you mean --email\?\n/,
      ],
      [['models', 'predict', 'iris', '--inptu', '[1]'], /Unknown option --inptu\. Did you mean --input\?/],
      [['users', 'create', '--email'], /^error: Option --email needs a value: --email <value>\./],
      [['whoami', '--json=yes'], /^error: Option --json takes no value\./],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      // Node's own advice about positionals after '--' is not what a mistyped flag needs.
      expect(r.stderr).not.toContain('To specify a positional argument');
    }
    const far = await runCli(['users', 'create', '--zzz'], env);
    expect(far.stderr).toMatch(
      /^error: Unknown option --zzz\. \(An argument that starts with '-' goes after "--"\.\)/,
    );
  });

  it('refuses predict input that is neither a row of numbers nor JSON, naming the plain row', async () => {
    const r = await runCli(['models', 'predict', 'iris', '--input', 'five point one'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^error: The input is neither a row of numbers nor JSON .*e\.g\. --input '5\.1 3\.5 1\.4 0\.2'/,
    );
  });

  it('refuses what it does not know with exit 2 and the usage', async () => {
    const none = await runCli([], env);
    expect(none.code).toBe(2);
    const unknown = await runCli(['deploy'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown command "deploy"\. To deploy a model: opsmesh models upload/);
    const sub = await runCli(['users', 'delete', 'x'], env);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toMatch(/Known: list, create, disable, reset-password/);
    const url = await runCli(['whoami', '--url', 'ftp://x'], env);
    expect(url.code).toBe(2);
    expect(url.stderr).toMatch(/must be an http/);
    const version = await runCli(['models', 'promote', 'iris', 'two'], env);
    expect(version.code).toBe(2);
    expect(version.stderr).toMatch(/The version must be a whole number/);
  });

  it('answers words no command has with the command that does it', async () => {
    const vx = await runCli(['models', 'promote', 'iris', 'vx'], env);
    expect(vx.stderr).toMatch(/The version must be a whole number from 1, not "vx"/);
    // Words people use that no command has are answered with the command that does it.
    const deploy = await runCli(['models', 'deploy', 'iris', './iris.onnx'], env);
    expect(deploy.code).toBe(2);
    expect(deploy.stderr).toMatch(
      /Unknown command "models deploy"\. To deploy a model: opsmesh models upload <name> <file\.onnx>, then opsmesh models promote/,
    );
    const chat = await runCli(['chat'], env);
    expect(chat.code).toBe(2);
    expect(chat.stderr).toMatch(/Missing arguments[\s\S]*Usage: opsmesh chat <message\.\.\.>/);
  });

  it('says why a file or database it was given cannot be used, with no stack trace', async () => {
    const offline = { ...env, OPSMESH_TOKEN: 'omk_test', OPSMESH_URL: 'http://127.0.0.1:1' };
    for (const file of [join(dir, 'missing.json'), dir]) {
      const r = await runCli(['models', 'predict', 'iris', '--file', file], offline);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`Cannot read ${file} \\((no such file|it is a directory)\\)`));
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    const upload = await runCli(['models', 'upload', 'iris', dir], offline);
    expect(upload.code).toBe(2);
    expect(upload.stderr).toMatch(/Cannot read .* \(it is a directory\); give the path of an \.onnx file/);
    // A first upload copied from the README, with no model at hand: the shipped one is named.
    const first = await runCli(['models', 'upload', 'fraud', './fraud.onnx'], offline);
    expect(first.code).toBe(2);
    expect(first.stderr).toContain(
      'Cannot read ./fraud.onnx (no such file); give the path of an .onnx file (to try an upload, the repository has one: services/ml-service/models/iris-classifier.onnx).',
    );

    const refused = await runCli(
      [
        'admin',
        'reset-password',
        '--password-stdin',
        '--database-url',
        'postgres://nobody:s3cret@127.0.0.1:1/auth',
      ],
      env,
      { input: 'a-long-enough-passphrase-42\n' },
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Cannot use the auth database at 127\.0\.0\.1:1\/auth \(.*ECONNREFUSED/);
    expect(refused.stderr).not.toContain('s3cret');
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    const notUrl = await runCli(
      ['admin', 'reset-password', '--password-stdin', '--database-url', 'notaurl'],
      env,
      {
        input: 'a-long-enough-passphrase-42\n',
      },
    );
    expect(notUrl.code).toBe(2);
    expect(notUrl.stderr).toMatch(/not a PostgreSQL URL/);
  });
});
