import { closeSync, existsSync, fstatSync, openSync, readdirSync, readSync, rmdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { type ClusterImageSource, clusterImageBlob, extractClusterImage } from './cluster-image.js';

/**
 * The embedded engine serves one small service, and its shared memory is resident from the start:
 * small buffers, and per-connection tables for the one connection single-user mode serves, keep
 * it near 4 MB instead of 16 MB (8 MB buffers) or the hundreds of MB of PostgreSQL's defaults.
 * A login's queries take the same time either way (measured).
 */
const EMBEDDED_CONF = [
  'shared_buffers=2MB',
  'wal_buffers=64kB',
  'work_mem=2MB',
  'maintenance_work_mem=8MB',
  'max_connections=4',
  'max_wal_senders=0',
  'max_replication_slots=0',
];

const IMAGE: ClusterImageSource = {
  version: '0.5.16-1',
  async initdb() {
    const fresh = await PGlite.create({ postgresqlconf: EMBEDDED_CONF, pgliteWasmModule: engineModule() });
    try {
      return await fresh.dumpDataDir('none');
    } finally {
      await fresh.close();
    }
  },
};

type EngineModule = NonNullable<PGliteOptions['pgliteWasmModule']>;
/** The global's one member used here (the project's TypeScript libraries leave WebAssembly out). */
declare const WebAssembly: { Module: new (bytes: Uint8Array) => EngineModule };

let compiled: EngineModule | null = null;

/**
 * The flags PostgreSQL's module is compiled under, read when a module is created:
 * - baseline compiler only: with the default tier-up, V8 recompiles the hot half of PostgreSQL
 *   with its optimising compiler on background threads, some 80 MB of compiler memory the C
 *   allocator keeps afterwards and seconds of CPU at start, for no gain on a service's small
 *   queries (measured: the same time per login);
 * - lazily, each function on its first call: a service runs a small part of PostgreSQL, and the
 *   machine code for the rest was resident for nothing. auth-service on PGlite idles 4-5 MB lower
 *   (156.5 -> 152 MB) and 20 MB lower after 100 logins (176 -> 156 MB), logins as fast.
 */
const COMPILE_FLAGS = ['--liftoff-only', '--wasm-lazy-compilation'];

/** PostgreSQL's WASM module, compiled once per process under COMPILE_FLAGS, set around this one compilation only. */
function engineModule(): EngineModule {
  if (compiled) return compiled;
  const dist = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  const bytes = readWhole(join(dist, 'pglite.wasm'));
  const flags = COMPILE_FLAGS.filter((f) => !process.execArgv.includes(f));
  for (const f of flags) setFlagsFromString(f);
  try {
    compiled = new WebAssembly.Module(bytes);
  } finally {
    for (const f of flags) setFlagsFromString(f.replace('--', '--no-'));
  }
  return compiled;
}

/**
 * Reads a file into a buffer of more than 32 MiB of which only the file's pages are ever touched.
 * glibc raises its mmap threshold to the size of any freed mapped block of up to 32 MiB and then
 * keeps up to twice that much freed heap instead of returning it: freeing the 9 MB module bytes
 * once compiled cost some 15 MB of resident memory for good (measured). Larger blocks are exempt.
 */
function readWhole(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const bytes = Buffer.allocUnsafeSlow(Math.max(size, 33 * 1024 * 1024)).subarray(0, size);
    for (let at = 0; at < size; ) at += readSync(fd, bytes, at, size - at, at);
    return bytes;
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens the embedded engine: in memory (`memory://`) from the cached empty-cluster image, or over
 * the directory `dir`, which gets a copy of that image on first use.
 */
export async function openEmbeddedEngine(dir: string | 'memory://'): Promise<PGlite> {
  const pgliteWasmModule = engineModule();
  if (dir === 'memory://') {
    return PGlite.create({
      loadDataDir: await clusterImageBlob(IMAGE),
      postgresqlconf: EMBEDDED_CONF,
      pgliteWasmModule,
    });
  }
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    if (existsSync(dir)) {
      if (readdirSync(dir).length > 0)
        throw new Error(`${dir} holds files but no database (no PG_VERSION); move it away`);
      rmdirSync(dir);
    }
    // Copied from the image file by the kit rather than handed to the engine as a Blob: the
    // engine keeps its options, and with them the 40 MB image, for as long as it runs.
    await extractClusterImage(IMAGE, dir);
  }
  return PGlite.create(dir, { postgresqlconf: EMBEDDED_CONF, pgliteWasmModule });
}
