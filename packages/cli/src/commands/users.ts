import type { User } from '@opsmesh/contracts';
import { generatePassword } from 'auth-service/password';
import { CliError, EXIT, usageError } from '../cli-error.js';
import { type Context, type Group, required, str, type Values } from '../command.js';
import { ago, table } from '../output.js';
import { askSecret, canPrompt } from '../prompt.js';
import { PASSWORD_OPTIONS, passwordFrom } from './session.js';

const ROLES = ['admin', 'operator', 'viewer'];

/** A user by id (`usr_...`) or by email, looked up through the list's search. */
async function resolveUser(ctx: Context, who: string): Promise<User> {
  const api = ctx.api();
  if (who.startsWith('usr_')) return api.request<User>('GET', `/api/auth/users/${encodeURIComponent(who)}`);
  const { items } = await api.request<{ items: User[] }>('GET', '/api/auth/users', {
    query: { q: who, limit: 100 },
  });
  const user = items.find((u) => u.email.toLowerCase() === who.trim().toLowerCase());
  if (!user) throw new CliError(`No user with the email ${who}.`, EXIT.notFound);
  return user;
}

/** The new password: given (flag, stdin, env), asked for on a terminal, or generated and shown once. */
async function newPassword(ctx: Context, values: Values): Promise<{ password: string; generated: boolean }> {
  const given = await passwordFrom(ctx, values, 'new password');
  if (given) return { password: given, generated: false };
  if (values['ask'] && canPrompt()) return { password: await askSecret('New password: '), generated: false };
  return { password: generatePassword(), generated: true };
}

function userRows(users: User[]): string {
  if (!users.length) return 'No users match.';
  return table(users, [
    { header: 'id', cell: (u) => u.id },
    { header: 'email', cell: (u) => u.email },
    { header: 'name', cell: (u) => u.display_name },
    { header: 'roles', cell: (u) => u.roles.join(',') },
    { header: 'status', cell: (u) => u.status },
    { header: 'last login', cell: (u) => ago(u.last_login_at) },
  ]);
}

const NEW_PASSWORD_OPTIONS = { ...PASSWORD_OPTIONS, ask: { type: 'boolean' } } as const;

export const users: Group = {
  summary: 'people who can log in',
  commands: {
    list: {
      usage: '[--search <text>] [--status active|disabled|locked] [--limit <n>]',
      summary: 'List users (admins and operators with users:read).',
      options: { search: { type: 'string' }, status: { type: 'string' }, limit: { type: 'string' } },
      async run(ctx, values) {
        const body = await ctx.api().request<{ items: User[]; total: number }>('GET', '/api/auth/users', {
          query: {
            q: str(values, 'search'),
            status: str(values, 'status'),
            limit: str(values, 'limit') ?? 100,
          },
        });
        ctx.out.result(body, () => {
          const more =
            body.total > body.items.length ? `\n(${body.items.length} of ${body.total}; use --limit)` : '';
          return userRows(body.items) + more;
        });
      },
    },
    create: {
      usage:
        '--email <email> [--name <display name>] [--role admin|operator|viewer]... [--password-stdin | --password <p> | --ask]',
      summary:
        'Create a user (viewer unless --role says). Without a password option one is generated and shown once.',
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string', multiple: true },
        ...NEW_PASSWORD_OPTIONS,
      },
      async run(ctx, values) {
        const email = required(values, 'email');
        const roles = (values['role'] as string[] | undefined) ?? ['viewer'];
        const unknown = roles.filter((r) => !ROLES.includes(r));
        if (unknown.length)
          throw usageError(`Unknown role ${unknown.join(', ')}; roles are ${ROLES.join(', ')}.`);
        const { password, generated } = await newPassword(ctx, values);
        const user = await ctx.api().request<User>('POST', '/api/auth/users', {
          body: {
            email,
            password,
            display_name: str(values, 'name') ?? email.split('@')[0],
            roles: [...new Set(roles)],
          },
        });
        ctx.out.result(generated ? { ...user, password } : user, () =>
          [
            `Created ${user.email} (${user.id}) with roles ${user.roles.join(', ')}.`,
            ...(generated ? [`Password (shown once): ${password}`] : []),
          ].join('\n'),
        );
      },
    },
    disable: {
      usage: '<email | user id>',
      summary: 'Disable a user and revoke every session of theirs.',
      positionals: [1, 1],
      async run(ctx, _values, [who]) {
        const user = await resolveUser(ctx, who!);
        const updated = await ctx.api().request<User>('POST', `/api/auth/users/${user.id}/disable`);
        ctx.out.result(
          updated,
          () => `Disabled ${updated.email} (${updated.id}); every session of theirs is revoked.`,
        );
      },
    },
    'reset-password': {
      usage: '<email | user id> [--password-stdin | --password <p> | --ask]',
      summary:
        "Set a user's password (lifts a lockout, revokes their sessions). Without a password option one is generated and shown once.",
      positionals: [1, 1],
      options: NEW_PASSWORD_OPTIONS,
      async run(ctx, values, [who]) {
        const user = await resolveUser(ctx, who!);
        const { password, generated } = await newPassword(ctx, values);
        const updated = await ctx.api().request<User>('POST', `/api/auth/users/${user.id}/password`, {
          body: { new_password: password },
        });
        ctx.out.result(generated ? { ...updated, password } : updated, () =>
          [
            `Password of ${updated.email} reset; every session of theirs is revoked.`,
            ...(generated ? [`New password (shown once): ${password}`] : []),
          ].join('\n'),
        );
      },
    },
  },
};
