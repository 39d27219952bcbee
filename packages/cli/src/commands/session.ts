import type { MeSchema } from '@opsmesh/contracts';
import type { Static } from '@sinclair/typebox';
import { Api, fixedCredentials, type TokenAnswer } from '../api.js';
import { CliError, EXIT, usageError } from '../cli-error.js';
import { type Context, type Group, str, type Values } from '../command.js';
import { ask, askSecret, askUntilGiven, canPrompt, readStdin } from '../prompt.js';

type Me = Static<typeof MeSchema>;

/**
 * The password from, in order: --password-stdin, OPSMESH_PASSWORD, --password, a hidden prompt.
 * `what` names it in the messages ("password", "new password").
 */
export async function passwordFrom(
  ctx: Context,
  values: Values,
  what = 'password',
): Promise<string | undefined> {
  if (values['password-stdin']) {
    const p = await readStdin();
    if (!p) throw usageError(`--password-stdin read nothing; pipe the ${what} in`);
    return p;
  }
  return str(values, 'password') ?? ctx.env['OPSMESH_PASSWORD'] ?? undefined;
}

async function login(ctx: Context, values: Values): Promise<void> {
  let email = str(values, 'email') ?? ctx.env['OPSMESH_EMAIL'];
  let password = await passwordFrom(ctx, values);
  if (!email || !password) {
    if (!canPrompt()) {
      throw usageError(
        'Give the email (--email or OPSMESH_EMAIL) and the password (--password-stdin, OPSMESH_PASSWORD or --password); there is no terminal to ask on.',
      );
    }
    ctx.out.note(`Logging in to ${ctx.host}`);
    email ??= await askUntilGiven(ask, 'Email: ', 'email', '--email');
    password ??= await askUntilGiven(askSecret, 'Password: ', 'password', '--password-stdin');
  }
  const api = ctx.api();
  const tokens = await api.request<TokenAnswer>('POST', '/api/auth/login', {
    body: { email, password },
    auth: false,
  });
  if (!tokens.refresh_token) {
    throw new CliError('The gateway answered the login without a refresh token.', EXIT.failure);
  }
  const expiresAt = new Date(Date.now() + tokens.expires_in * 1000).toISOString();
  // Who the token is for, from the platform rather than what was typed (case, aliases).
  const me = await fetchMe(ctx, tokens.access_token);
  ctx.store.update(
    ctx.host,
    {
      user: me.email,
      user_id: me.id,
      access_token: tokens.access_token,
      refresh_token: tokens.refresh_token,
      expires_at: expiresAt,
    },
    true,
  );
  ctx.out.result({ host: ctx.host, user: me.email, id: me.id, roles: me.roles, config: ctx.store.path }, () =>
    [
      `Logged in to ${ctx.host} as ${me.email} (${me.roles.join(', ')}).`,
      `Tokens kept in ${ctx.store.path}.`,
    ].join('\n'),
  );
}

function fetchMe(ctx: Context, token: string): Promise<Me> {
  return new Api(ctx.host, fixedCredentials(token)).request<Me>('GET', '/api/auth/me');
}

async function logout(ctx: Context): Promise<void> {
  const entry = ctx.store.read().hosts[ctx.host];
  if (!entry) {
    ctx.out.result({ host: ctx.host, loggedOut: false }, () => `Not logged in to ${ctx.host}.`);
    return;
  }
  let revoked = true;
  try {
    await ctx.api().request('POST', '/api/auth/logout', { body: { refresh_token: entry.refresh_token } });
  } catch (err) {
    // A session that already ended or a gateway that is gone: the local tokens go anyway.
    if (!(err instanceof CliError) || ![EXIT.auth, EXIT.unreachable].includes(err.exitCode as 3 | 10))
      throw err;
    revoked = false;
  }
  ctx.store.update(ctx.host, undefined);
  ctx.out.result({ host: ctx.host, user: entry.user, loggedOut: true, sessionRevoked: revoked }, () =>
    revoked
      ? `Logged out of ${ctx.host} (${entry.user}); the session is revoked.`
      : `Forgot the tokens for ${ctx.host} (${entry.user}); the session could not be revoked (already ended or unreachable).`,
  );
}

async function whoami(ctx: Context): Promise<void> {
  const me = await ctx.api().request<Me>('GET', '/api/auth/me');
  ctx.out.result({ host: ctx.host, ...me }, () =>
    [
      `${me.email} (${me.display_name}) on ${ctx.host}`,
      `  id:          ${me.id}`,
      `  roles:       ${me.roles.join(', ')}`,
      `  permissions: ${me.permissions.join(', ')}`,
    ].join('\n'),
  );
}

/** The ways to give a password on the command line, read by passwordFrom(). */
export const PASSWORD_OPTIONS = {
  password: { type: 'string' },
  'password-stdin': { type: 'boolean' },
} as const;

export const session: Group = {
  summary: 'log in and out, and show who is logged in',
  commands: {
    login: {
      usage: '[--email <email>] [--password-stdin | --password <password>] [--url <gateway>]',
      summary:
        'Log in and keep the access and refresh tokens in hosts.json (mode 0600); asks on a terminal for what is not given. OPSMESH_EMAIL and OPSMESH_PASSWORD work too.',
      options: { email: { type: 'string' }, ...PASSWORD_OPTIONS },
      run: login,
    },
    logout: { usage: '', summary: 'Revoke the session and forget its tokens.', run: logout },
    whoami: { usage: '', summary: 'Who the stored login (or OPSMESH_TOKEN) is.', run: whoami },
  },
};
