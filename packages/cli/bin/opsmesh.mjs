#!/usr/bin/env node
// The CLI runs from its TypeScript source with no build step, the way `npm start` runs the
// services (`node --conditions=source --import tsx`). A bin cannot pass node flags, so the same two
// things are set up here in-process: the `source` export condition (workspace packages resolve to
// their src/) and tsx's loader.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

register('./source-condition.mjs', import.meta.url);
registerTsx();
await import('../src/main.ts');
