import { register } from 'node:module';
import { PACKAGE_DIR } from './package-dir.js';

/**
 * Makes the services' TypeScript source importable (the `source` export condition and tsx's
 * loader), as bin/opsmesh.mjs does when it runs the CLI from source. The CLI compiled at install
 * needs it only for `admin reset-password`, which runs the auth service's own code; run from
 * source (this file's URL ends in .ts), the loader is already there.
 */
export async function useSourceLoader(): Promise<void> {
  if (import.meta.url.endsWith('.ts')) return;
  const { register: registerTsx } = await import('tsx/esm/api');
  register(new URL('bin/source-condition.mjs', PACKAGE_DIR));
  registerTsx();
}
