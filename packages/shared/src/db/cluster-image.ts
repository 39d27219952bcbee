import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';

/**
 * A freshly initialised PostgreSQL cluster as a tar file, made once per machine: running initdb
 * inside WASM takes seconds, copying the image a fraction of that.
 */
export interface ClusterImageSource {
  /** Runs initdb (in memory) and returns the cluster as an uncompressed tar. */
  initdb(): Promise<Blob>;
  /** Part of the cached file's name: a new engine version or configuration gets a new image. */
  version: string;
}

let imageFile: Promise<string> | null = null;
let imageBlob: Promise<Blob> | null = null;

/** The path of the cached image, made on first use (concurrent makers race to one rename). */
async function clusterImageFile(source: ClusterImageSource): Promise<string> {
  const file = join(tmpdir(), `opsmesh-pglite-${source.version}.tar`);
  // Checked each time: a temp-directory cleaner may remove it while a process runs.
  if (existsSync(file)) return file;
  imageFile ??= (async () => {
    const image = await source.initdb();
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.from(await image.arrayBuffer()));
    renameSync(tmp, file);
    return file;
  })().finally(() => {
    imageFile = null;
  });
  return imageFile;
}

/**
 * The image in memory, for in-memory databases. Kept for the life of the process: a test run
 * creates many such databases, each loading from this one copy.
 */
export function clusterImageBlob(source: ClusterImageSource): Promise<Blob> {
  imageBlob ??= clusterImageFile(source)
    .then((file) => new Blob([readFileSync(file)]))
    .catch((err) => {
      imageBlob = null;
      throw err;
    });
  return imageBlob;
}

const BLOCK = 512;

/**
 * Writes the image's files under `dest` (which must not exist), streaming through one small
 * buffer: a long-running service never holds the 40 MB image in memory. The files land in a
 * sibling directory renamed into place last, so a crash part-way leaves no half cluster behind.
 */
export async function extractClusterImage(source: ClusterImageSource, dest: string): Promise<void> {
  const file = await clusterImageFile(source);
  const staging = `${dest}.init-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true, mode: 0o700 });
  const fd = openSync(file, 'r');
  const header = Buffer.alloc(BLOCK);
  // Below glibc's 128 kB mmap threshold: a freed mapped block would raise it (see embedded-engine).
  const chunk = Buffer.allocUnsafeSlow(64 * 1024);
  try {
    let pos = 0;
    while (readSync(fd, header, 0, BLOCK, pos) === BLOCK && header[0] !== 0) {
      pos += BLOCK;
      const field = (start: number, length: number) =>
        header.toString('latin1', start, start + length).replace(/\0[\s\S]*$/, '');
      const prefix = field(345, 155);
      const name = normalize(`${prefix ? `${prefix}/` : ''}${field(0, 100)}`).replace(/^[/\\]+/, '');
      const size = Number.parseInt(field(124, 12).trim() || '0', 8);
      const type = field(156, 1) || '0';
      if (name.split(/[/\\]/).includes('..'))
        throw new Error(`cluster image entry escapes its root: ${name}`);
      const target = join(staging, name);
      if (type === '5') {
        mkdirSync(target, { recursive: true, mode: 0o700 });
      } else if (type === '0') {
        mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
        const out = openSync(target, 'w', 0o600);
        try {
          for (let left = size; left > 0; ) {
            const n = readSync(fd, chunk, 0, Math.min(chunk.length, left), pos + (size - left));
            if (n === 0) throw new Error(`cluster image ${file} is truncated`);
            writeSync(out, chunk, 0, n);
            left -= n;
          }
        } finally {
          closeSync(out);
        }
      }
      pos += Math.ceil(size / BLOCK) * BLOCK;
    }
  } finally {
    closeSync(fd);
  }
  if (!existsSync(join(staging, 'PG_VERSION'))) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`cluster image ${file} holds no PG_VERSION; delete it to have it made again`);
  }
  renameSync(staging, dest);
}
