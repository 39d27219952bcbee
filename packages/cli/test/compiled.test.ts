// The CLI as `npm ci` leaves it: compiled once to dist/ (scripts/build.mjs), run from there while
// every compiled source is unchanged, from the TypeScript source otherwise. Run on a copy of the
// package (its bin, a build of its own, the source and node_modules linked) so that nothing here
// touches the dist/ the other CLI tests run.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const PACKAGE = join(REPO_ROOT, 'packages', 'cli');

describe('the compiled CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'opsmesh-compiled-'));
  const pkg = join(dir, 'cli');
  const dist = join(pkg, 'dist');
  const log = join(dir, 'loaded.log');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(() => {
    mkdirSync(pkg);
    cpSync(join(PACKAGE, 'bin'), join(pkg, 'bin'), { recursive: true });
    cpSync(join(PACKAGE, 'package.json'), join(pkg, 'package.json'));
    symlinkSync(join(PACKAGE, 'src'), join(pkg, 'src'));
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(pkg, 'node_modules'));
    const built = spawnSync(process.execPath, [join(PACKAGE, 'scripts', 'build.mjs'), dist], {
      encoding: 'utf8',
    });
    expect(built.status, built.stderr).toBe(0);
    // Every module the CLI resolves, one URL a line, written by a resolve hook of the test's own.
    writeFileSync(
      join(dir, 'hooks.mjs'),
      `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const answer = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, answer.url + '\\n');
  return answer;
}
`,
    );
    writeFileSync(
      join(dir, 'log-modules.mjs'),
      `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`,
    );
  }, 120_000);

  /** Runs the copy's bin and answers what it printed and every module it loaded. */
  async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
    rmSync(log, { force: true });
    const result = await runCli(
      args,
      {
        OPSMESH_CONFIG_DIR: join(dir, 'config'),
        NODE_OPTIONS: `--import=${pathToFileURL(join(dir, 'log-modules.mjs')).href}`,
        ...env,
      },
      { command: [process.execPath, join(pkg, 'bin', 'opsmesh.mjs')] },
    );
    const loaded = readFileSync(log, 'utf8').trim().split('\n');
    return { ...result, loaded };
  }

  it('runs the build for --help and a local command: no TypeScript, no loader, no schemas', async () => {
    for (const args of [['--help'], ['logout'], ['models', 'predict', '--help']]) {
      const r = await run(args);
      expect(r.code, r.stderr).toBe(0);
      expect(r.loaded).toContain(pathToFileURL(join(dist, 'main.js')).href);
      expect(r.loaded.filter((url) => /\.ts$|\/tsx\/|typebox|esbuild/.test(url))).toEqual([]);
    }
    const help = await run(['--help']);
    expect(help.stdout).toMatch(/^Usage: opsmesh <command>/m);
    expect((await run(['logout'])).stdout).toBe('Not logged in to http://127.0.0.1:8080.\n');
    // The build holds no schema library: the CLI needs only the contracts' types and paging values.
    for (const file of readdirSync(dist).filter((f) => f.endsWith('.js'))) {
      expect(readFileSync(join(dist, file), 'utf8'), file).not.toContain('@sinclair/typebox');
    }
  });

  it('runs the TypeScript source once a compiled file no longer matches it, or without a build', async () => {
    const inputsFile = join(dist, 'inputs.json');
    const built = readFileSync(inputsFile, 'utf8');
    const manifest = JSON.parse(built) as { inputs: Record<string, string> };
    const main = Object.keys(manifest.inputs).find((f) => f.endsWith('src/main.ts'))!;
    manifest.inputs[main] = '0'.repeat(64);
    writeFileSync(inputsFile, JSON.stringify(manifest));
    try {
      const edited = await run(['--help']);
      expect(edited.code, edited.stderr).toBe(0);
      expect(edited.stdout).toMatch(/^Usage: opsmesh <command>/m);
      expect(edited.loaded.some((url) => url.endsWith('/src/main.ts'))).toBe(true);
      expect(edited.loaded).not.toContain(pathToFileURL(join(dist, 'main.js')).href);
      expect(edited.loaded.filter((url) => /typebox|contracts\/src\/index\.ts/.test(url))).toEqual([]);
      rmSync(inputsFile);
      const unbuilt = await run(['--help']);
      expect(unbuilt.code, unbuilt.stderr).toBe(0);
      expect(unbuilt.loaded.some((url) => url.endsWith('/src/main.ts'))).toBe(true);
    } finally {
      writeFileSync(inputsFile, built);
    }
  }, 60_000);

  it("reaches the auth service's source for the offline reset from the build", async () => {
    const r = await run(['admin', 'reset-password', '--data-dir', join(dir, 'no-data')]);
    expect(r.stderr).toContain(`No auth database in ${join(dir, 'no-data', 'auth', 'pgdata')}`);
    expect(r.loaded).toContain(pathToFileURL(join(dist, 'main.js')).href);
    expect(r.loaded.some((url) => /auth-service\/src\/.*\.ts$/.test(url))).toBe(true);
  }, 60_000);
});
