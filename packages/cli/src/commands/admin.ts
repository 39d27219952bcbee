import { resolve } from 'node:path';
import { CliError, EXIT } from '../cli-error.js';
import { type Group, str } from '../command.js';
import { useSourceLoader } from '../source-loader.js';
import { PASSWORD_OPTIONS, passwordFrom } from './session.js';

export const admin: Group = {
  summary: 'offline administration on the data directory',
  commands: {
    'reset-password': {
      usage:
        '[--email <email>] [--password-stdin | --password <p>] [--data-dir <dir>] [--database-url <url>]',
      summary:
        "Reset a password with the auth service down, on its database: the embedded one under the data directory (OPSMESH_DATA_DIR, default ./data) or DATABASE_URL. Without --email, the first admin's. Without a password option one is generated and shown once. Every session of the user is revoked.",
      options: {
        email: { type: 'string' },
        ...PASSWORD_OPTIONS,
        'data-dir': { type: 'string' },
        'database-url': { type: 'string' },
      },
      async run(ctx, values) {
        await useSourceLoader();
        const { resetPasswordOffline, OfflineResetError } = await import('auth-service/offline-reset');
        const dataDir = resolve(str(values, 'data-dir') ?? (ctx.env['OPSMESH_DATA_DIR'] || 'data'));
        const databaseUrl = str(values, 'database-url') ?? ctx.env['DATABASE_URL'];
        const password = await passwordFrom(ctx, values, 'new password');
        let result: Awaited<ReturnType<typeof resetPasswordOffline>>;
        try {
          result = await resetPasswordOffline({
            dataDir,
            databaseUrl,
            email: str(values, 'email'),
            password,
          });
        } catch (err) {
          if (err instanceof OfflineResetError) throw new CliError(err.message, EXIT[err.kind]);
          throw err;
        }
        const where = databaseUrl ? 'DATABASE_URL' : dataDir;
        ctx.out.result(
          {
            email: result.email,
            id: result.userId,
            ...(result.generated ? { password: result.generated } : {}),
            database: where,
          },
          () =>
            [
              `Password of ${result.email} reset in ${where}; every session of theirs is revoked.`,
              ...(result.generated ? [`New password (shown once): ${result.generated}`] : []),
              'Log in with it once the platform runs: opsmesh login',
            ].join('\n'),
        );
      },
    },
  },
};
