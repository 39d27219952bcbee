#!/usr/bin/env node
// `npm ci` compiles the CLI to dist/ (scripts/build.mjs); that build runs while it matches the
// source. Else (not built, or a source edited since) the CLI runs from its TypeScript source, the
// way `npm start` runs the services (`node --conditions=source --import tsx`). A bin cannot pass
// node flags, so the same two things are set up here in-process: the `source` export condition
// (workspace packages resolve to their src/) and tsx's loader. Both are loaded only then.
import { compiledEntry } from './compiled.mjs';

const entry = compiledEntry(new URL('../dist/', import.meta.url));
if (entry) {
  await import(entry.href);
} else {
  const { register } = await import('node:module');
  const { register: registerTsx } = await import('tsx/esm/api');
  register('./source-condition.mjs', import.meta.url);
  registerTsx();
  await import('../src/main.ts');
}
