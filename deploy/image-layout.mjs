// Lays out, for every service, the files its image ships: `node deploy/image-layout.mjs <out>`
// writes <out>/<service>/ with the compiled workspaces it runs on, the lockfile and every
// workspace manifest (so `npm ci --workspace` can install exactly that service's production
// dependencies on the image's own C library), the service's `files` (package.json), and the
// console for the public entry. Sources, tests, scripts and data sets never ship.
// Plain JavaScript: it runs in the image build before any TypeScript loader is wanted.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: node deploy/image-layout.mjs <output folder>\n');
  process.exit(2);
}

const readJson = (file) => JSON.parse(readFileSync(join(root, file), 'utf8'));
const rootPackage = readJson('package.json');

/** Workspace folders from the root manifest (`dir` or `dir/*` entries). */
const workspaces = rootPackage.workspaces.flatMap((pattern) => {
  if (!pattern.endsWith('/*')) return [pattern];
  const parent = pattern.slice(0, -2);
  return readdirSync(join(root, parent))
    .map((d) => `${parent}/${d}`)
    .filter((d) => existsSync(join(root, d, 'package.json')));
});

const copy = (from, to) => {
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to, { recursive: true });
};

/** The workspace names a package depends on, transitively. */
function workspaceClosure(dir, byName, seen = new Set()) {
  const pkg = readJson(join(dir, 'package.json'));
  for (const dep of Object.keys(pkg.dependencies ?? {})) {
    const ws = byName.get(dep);
    if (ws && !seen.has(ws)) {
      seen.add(ws);
      workspaceClosure(ws, byName, seen);
    }
  }
  return seen;
}

const byName = new Map(workspaces.map((dir) => [readJson(join(dir, 'package.json')).name, dir]));
const services = workspaces.filter((dir) => dir.startsWith('services/'));
rmSync(out, { recursive: true, force: true });

for (const service of services) {
  const pkg = readJson(join(service, 'package.json'));
  const target = join(out, pkg.name);
  for (const file of ['package.json', 'package-lock.json', '.npmrc']) {
    if (existsSync(join(root, file))) copy(join(root, file), join(target, file));
  }
  // npm checks the lockfile against every workspace's manifest, so all of them go along.
  for (const dir of workspaces) copy(join(root, dir, 'package.json'), join(target, dir, 'package.json'));
  for (const dir of workspaceClosure(service, byName)) {
    const files = readJson(join(dir, 'package.json')).files ?? ['dist'];
    for (const f of files) copy(join(root, dir, f), join(target, dir, f));
  }
  if (!pkg.files) throw new Error(`${service}/package.json has no "files": list what its image ships`);
  for (const f of pkg.files) {
    if (!existsSync(join(root, service, f)))
      throw new Error(`${service}: "files" names ${f}, which is missing`);
    copy(join(root, service, f), join(target, service, f));
  }
  // The public entry serves the operator console.
  if (pkg.opsmesh?.public) copy(join(root, 'web'), join(target, 'web'));
  process.stdout.write(`image layout: ${pkg.name} -> ${join(target)}\n`);
}
