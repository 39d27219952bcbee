import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Model files on disk, addressed by their SHA-256 (`<dir>/ab/abcdef....onnx`): identical
 * uploads share one file, and a file is written under a temporary name then renamed, so a
 * crash never leaves a half-written model under a real address.
 */

export interface ArtifactStore {
  readonly dir: string;
  put(bytes: Uint8Array): Promise<{ sha256: string; sizeBytes: number }>;
  get(sha256: string): Promise<Uint8Array>;
  remove(sha256: string): Promise<void>;
  /** Throws when the directory cannot be written (readiness check). */
  check(): Promise<void>;
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function createArtifactStore(dir: string): ArtifactStore {
  const pathOf = (sha: string) => {
    if (!/^[0-9a-f]{64}$/.test(sha)) throw new Error(`not a sha256: ${sha}`);
    return join(dir, sha.slice(0, 2), `${sha}.onnx`);
  };
  return {
    dir,
    async put(bytes) {
      const sha256 = sha256Of(bytes);
      const path = pathOf(sha256);
      const exists = await stat(path).then(
        (s) => s.size === bytes.length,
        () => false,
      );
      if (!exists) {
        await mkdir(join(dir, sha256.slice(0, 2)), { recursive: true });
        const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
        await writeFile(tmp, bytes);
        await rename(tmp, path);
      }
      return { sha256, sizeBytes: bytes.length };
    },
    async get(sha256) {
      return new Uint8Array(await readFile(pathOf(sha256)));
    },
    async remove(sha256) {
      await rm(pathOf(sha256), { force: true });
    },
    async check() {
      await mkdir(dir, { recursive: true });
      const probe = join(dir, `.ready-${randomBytes(4).toString('hex')}`);
      await writeFile(probe, '');
      await rm(probe, { force: true });
    },
  };
}
