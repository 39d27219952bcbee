import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * What the auth service loads to start, read from the process itself: `main.ts` with a config it
 * refuses, so every static import is evaluated and the process exits before it opens a database.
 * Code it holds for a path it never takes (calling other services, announcing itself in etcd) is
 * resident for as long as it runs, and idle memory is a target of the service.
 */
const SERVICE_DIR = fileURLToPath(new URL('..', import.meta.url));

/** The npm packages loaded through `require` (CommonJS) by the time the process exits. */
function packagesLoadedAtStart(): Set<string> {
  const report = [
    "import { createRequire } from 'node:module';",
    "const cache = createRequire(process.cwd() + '/').cache;",
    "process.on('exit', () => process.stdout.write(JSON.stringify(Object.keys(cache))));",
  ].join('\n');
  const run = spawnSync(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      '--import',
      `data:text/javascript,${encodeURIComponent(report)}`,
      'src/main.ts',
    ],
    { cwd: SERVICE_DIR, env: { ...process.env, PORT: 'not-a-port' }, encoding: 'utf8', timeout: 80_000 },
  );
  expect(run.stderr).toMatch(/PORT/);
  const files = JSON.parse(run.stdout) as string[];
  return new Set(files.flatMap((f) => /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1] ?? []));
}

describe('auth-service start-up footprint', () => {
  it('leaves out the HTTP client to other services and its circuit breakers', () => {
    const loaded = packagesLoadedAtStart();
    // A sanity check that the list is the real one: the web framework is in it.
    expect(loaded.has('fastify')).toBe(true);
    expect(loaded.has('cockatiel'), 'circuit breakers (the HTTP client to other services)').toBe(false);
  }, 90_000);
});
