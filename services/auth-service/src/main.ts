import { loadConfigOrExit } from '@opsmesh/shared/config/load-config';
import { migrate } from '@opsmesh/shared/db/migrate';
import { openServiceDatabase } from '@opsmesh/shared/db/service-database';
import { isAppError } from '@opsmesh/shared/errors/app-error';
import { createLogger } from '@opsmesh/shared/logging/logger';
import { serve } from '@opsmesh/shared/service/serve';
import { formatAdminCredentials } from '@opsmesh/shared/supervisor/admin-credentials';
import { buildApp } from './app.js';
import { AuthConfigSchema } from './config.js';
import { createAuthDeps } from './deps.js';
import type { AuthDB } from './models/db.js';

const config = loadConfigOrExit('auth-service', AuthConfigSchema);

const logger = createLogger({ service: 'auth-service', level: config.LOG_LEVEL });
const database = await openServiceDatabase<AuthDB>('auth-service', {
  service: 'auth',
  dataDir: config.OPSMESH_DATA_DIR,
  url: config.DATABASE_URL,
});
await migrate(database.db, new URL('../migrations', import.meta.url), logger);
const deps = await createAuthDeps(config, database);

const admin = await deps.users
  .bootstrapAdmin(config.OPSMESH_ADMIN_EMAIL, config.OPSMESH_ADMIN_PASSWORD)
  .catch((err) => {
    if (!isAppError(err)) throw err;
    process.stderr.write(
      `auth-service: cannot create the bootstrap admin: ${err.detail} Fix OPSMESH_ADMIN_PASSWORD / OPSMESH_ADMIN_EMAIL.\n`,
    );
    process.exit(1);
  });
if (admin) {
  logger.info({ email: admin.email }, 'bootstrap admin created');
  if (admin.password) {
    // Printed once, outside the JSON log stream, so it is not shipped to log storage. Under
    // `npm start` the supervisor holds it back and shows it once this process is ready.
    process.stderr.write(formatAdminCredentials({ email: admin.email, password: admin.password }));
  }
}
for (const pair of config.OPSMESH_SERVICE_ACCOUNTS?.split(',').filter(Boolean) ?? []) {
  const [name, secret] = pair.split('=') as [string, string];
  await deps.credentials.ensureServiceAccount(name, secret);
}

const app = buildApp(config, deps);
app.log = logger as never;
await serve(app, { service: 'auth-service', ...config });
