import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (file: string) => readFileSync(`${root}/${file}`, 'utf8');

interface LockEntry {
  version?: string;
  engines?: { node?: string } | string[];
  hasInstallScript?: boolean;
  dev?: boolean;
}

/**
 * `npm ci` on a clean clone prints no warnings. The causes npm warns about are checked here from
 * the files themselves (no install needed): keys in `.npmrc` that npm does not know, packages
 * whose `engines.node` excludes the Node version the project supports, and install scripts that
 * are neither allowed nor denied. `.ci/run` also fails when a real `npm ci` prints a warning.
 */
describe('a clean install', () => {
  const pkg = JSON.parse(read('package.json')) as {
    engines: { node: string };
    allowScripts?: Record<string, boolean>;
  };
  const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, LockEntry> };
  const lowestNode = semver.minVersion(pkg.engines.node)?.version ?? '';

  it('sets only configuration keys npm knows in .npmrc', () => {
    // npm's own keys, listed away from this project and from the npm_config_* of a parent npm run.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
    const listed = execFileSync('npm', ['config', 'ls', '-l', '--json', '--userconfig', '/dev/null'], {
      cwd: tmpdir(),
      env,
      encoding: 'utf8',
    });
    const known = new Set(Object.keys(JSON.parse(listed)));
    const keys = read('.npmrc')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#') && !line.startsWith(';'))
      .map((line) => line.split('=')[0]!.trim())
      .filter((key) => !key.startsWith('//') && !key.startsWith('@'));
    expect(keys.filter((key) => !known.has(key))).toEqual([]);
  });

  it(`installs only packages that support the lowest Node version the project declares`, () => {
    expect(lowestNode).toMatch(/^20\./);
    const unsupported = Object.entries(lock.packages)
      .filter(([path, entry]) => {
        const node = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
        return path && node && !semver.satisfies(lowestNode, node);
      })
      .map(
        ([path, entry]) => `${path}@${entry.version} needs node ${(entry.engines as { node: string }).node}`,
      );
    expect(unsupported).toEqual([]);
  });

  it('decides every install script in package.json allowScripts (onnxruntime-node downloads nothing)', () => {
    const withScripts = Object.entries(lock.packages)
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([path]) => path.replace(/^.*node_modules\//, ''));
    const undecided = withScripts.filter((name) => pkg.allowScripts?.[name] === undefined);
    expect(undecided).toEqual([]);
    expect(pkg.allowScripts?.['onnxruntime-node']).toBe(false);
  });
});
