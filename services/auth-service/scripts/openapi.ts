/**
 * Writes the auth service's OpenAPI document to packages/contracts/openapi/auth-service.json.
 * `npm run openapi -w auth-service`; CI checks the file matches what the routes generate.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDatabase, migrate } from '@opsmesh/shared';
import { buildApp } from '../src/app.js';
import { createAuthDeps } from '../src/deps.js';
import type { AuthDB } from '../src/models/db.js';
import { testConfig } from '../test/helpers.js';

export const OPENAPI_FILE = fileURLToPath(
  new URL('../../../packages/contracts/openapi/auth-service.json', import.meta.url),
);

export async function generateOpenApi(): Promise<string> {
  const database = await createDatabase<AuthDB>({ service: 'auth', dataDir: 'memory://' });
  await migrate(database.db, new URL('../migrations', import.meta.url));
  const app = buildApp(testConfig(), await createAuthDeps(testConfig(), database), { processMetrics: false });
  await app.ready();
  const doc = `${JSON.stringify(app.swagger(), null, 2)}\n`;
  await app.close();
  return doc;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(OPENAPI_FILE, await generateOpenApi());
  process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
}
