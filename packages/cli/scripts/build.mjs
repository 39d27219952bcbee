// Compiles the CLI once, at install (`npm ci` runs this package's `prepare`), so that `opsmesh` starts
// as plain JavaScript: no TypeScript loader, no loader thread, no transform at every start. The
// output is ESM in dist/, one chunk per command group (main.ts imports each group only when it
// runs), with the workspace code it uses (@opsmesh/contracts, web/lib) bundled in. dist/inputs.json
// keeps the SHA-256 of every source compiled in: bin/opsmesh.mjs runs dist/ only while they all
// match, and the TypeScript source otherwise, so an edited source is never run stale.
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST_DIR = join(PACKAGE_DIR, 'dist');
export const INPUTS_FILE = 'inputs.json';

/** The SHA-256 of a file's bytes, hex. */
export function fileHash(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/**
 * Compiles src/main.ts into `outdir` and writes its inputs.json. The auth service's offline reset
 * (the service's database layer) and tsx stay outside: `admin reset-password` loads them, from
 * source, when it runs (src/source-loader.ts).
 */
export async function buildCli(outdir = DIST_DIR) {
  // Built beside it, then moved in place: a CLI starting meanwhile finds the old build, none (and
  // runs the source) or the new one, never half of one.
  const building = `${outdir}.${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  try {
    await compile(building, outdir);
  } catch (err) {
    rmSync(building, { recursive: true, force: true });
    throw err;
  }
  rmSync(outdir, { recursive: true, force: true });
  renameSync(building, outdir);
  return outdir;
}

/** The build itself, into `building`; its inputs.json names the sources relative to `outdir`. */
async function compile(building, outdir) {
  const result = await build({
    absWorkingDir: PACKAGE_DIR,
    entryPoints: ['src/main.ts'],
    outdir: building,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    conditions: ['source'],
    external: ['auth-service/offline-reset', 'tsx/*'],
    metafile: true,
    logLevel: 'warning',
  });
  // Bundled, a module's import.meta.url is its chunk's, directly in dist/: a path made from it is
  // right only in modules directly in src/, as deep in the package. The others use PACKAGE_DIR.
  const misplaced = Object.keys(result.metafile.inputs).filter(
    (p) =>
      !p.includes('node_modules') &&
      dirname(resolve(PACKAGE_DIR, p)) !== join(PACKAGE_DIR, 'src') &&
      readFileSync(resolve(PACKAGE_DIR, p), 'utf8').includes('import.meta'),
  );
  if (misplaced.length) {
    throw new Error(
      `import.meta in ${misplaced.join(', ')}: take paths from PACKAGE_DIR (src/package-dir.ts)`,
    );
  }
  // Every input, this script included (another build could compile the same sources otherwise).
  const files = [
    ...Object.keys(result.metafile.inputs).map((p) => resolve(PACKAGE_DIR, p)),
    fileURLToPath(import.meta.url),
  ];
  const inputs = Object.fromEntries(files.map((f) => [relative(outdir, f), fileHash(f)]));
  writeFileSync(join(building, INPUTS_FILE), `${JSON.stringify({ entry: 'main.js', inputs }, null, 2)}\n`);
}

// `node scripts/build.mjs [outdir]`: into dist/ unless told otherwise. With --at-install (npm's
// `prepare`), a failed build leaves no dist/ and a warning, not a failed `npm ci`: the CLI runs from
// its TypeScript source then, as it would with `npm ci --ignore-scripts`.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const atInstall = args.includes('--at-install');
  const outdir = args.find((a) => !a.startsWith('--'));
  try {
    await buildCli(outdir ? resolve(outdir) : DIST_DIR);
  } catch (err) {
    if (!atInstall) throw err;
    process.stderr.write(
      `opsmesh CLI not compiled (${err instanceof Error ? err.message : err}); it runs from its TypeScript source, slower to start.\n`,
    );
  }
}
