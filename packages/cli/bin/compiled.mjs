// Whether the CLI compiled at install (scripts/build.mjs) is the current source: dist/inputs.json
// names every file compiled in with its SHA-256. Reading and hashing them (about thirty small
// files) costs a few milliseconds; running a stale build after an edit would cost far more.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** The URL of the compiled entry in `distDir` (a directory URL) if it is current, else undefined. */
export function compiledEntry(distDir) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(new URL('inputs.json', distDir), 'utf8'));
    for (const [file, hash] of Object.entries(manifest.inputs)) {
      const now = createHash('sha256')
        .update(readFileSync(new URL(file, distDir)))
        .digest('hex');
      if (now !== hash) return undefined;
    }
  } catch {
    // Not built (`npm ci --ignore-scripts`), partly written, or a source since removed.
    return undefined;
  }
  return new URL(manifest.entry, distDir);
}
