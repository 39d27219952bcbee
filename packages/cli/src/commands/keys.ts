import type { ApiKey, CreatedApiKey } from '@opsmesh/contracts';
import { keyState } from '../../../../web/lib/api-keys.js';
import { CliError, EXIT, usageError } from '../cli-error.js';
import { type Context, type Group, str } from '../command.js';
import { ago, table } from '../output.js';

const KEYS_PATH = '/api/auth/api-keys';
const DAY_MS = 86_400_000;
/** What the auth service takes as `expires_in_days`. */
const MAX_DAYS = 365;
const UNIT_DAYS: Record<string, number> = { d: 1, w: 7, y: 365 };

/**
 * `--expires` as the whole days the auth service takes: a duration (`30d`, `12w`, `1y`) or a date
 * (`2027-03-01`, rounded up to whole days from `now`).
 *
 * @example
 * expiresInDays('2w') // 14
 */
export function expiresInDays(value: string, now = Date.now()): number {
  const text = value.trim().toLowerCase();
  const duration = /^([0-9]{1,4})\s*([dwy])$/.exec(text);
  let days: number;
  if (duration) days = Number(duration[1]) * UNIT_DAYS[duration[2]!]!;
  else if (/^[0-9]{4}-[0-9]{2}-[0-9]{2}([t ].*)?$/.test(text) && !Number.isNaN(Date.parse(value))) {
    days = Math.ceil((Date.parse(value) - now) / DAY_MS);
    if (days < 1)
      throw usageError(
        `--expires ${value} is not in the future; give a later date or a duration such as 30d.`,
      );
  } else {
    throw usageError(
      `--expires takes a duration in days, weeks or years (30d, 12w, 1y) or a date (2027-03-01), not "${value}".`,
    );
  }
  if (days < 1 || days > MAX_DAYS)
    throw usageError(`--expires ${value} is ${days} days; a key lasts 1 to ${MAX_DAYS} days (1d to 1y).`);
  return days;
}

/** The day of an ISO time, as a key's expiry is chosen. */
const day = (iso: string) => iso.slice(0, 10);

async function listKeys(ctx: Context): Promise<ApiKey[]> {
  return ctx.api().requestAll<ApiKey>(KEYS_PATH, 'items', { query: { limit: 100 } });
}

/**
 * The key `given` names: its id, the start of its id, or its prefix as the list shows it (a
 * pasted whole key names its own). Only live keys count when the start of an id or prefix
 * matches several.
 */
export function pickKey(keys: readonly ApiKey[], given: string, now = Date.now()): ApiKey {
  const text = given.trim();
  const exact = keys.find((k) => k.id === text);
  if (exact) return exact;
  const matches = text
    ? keys.filter((k) => k.id.startsWith(text) || k.prefix.startsWith(text) || text.startsWith(k.prefix))
    : [];
  const live = matches.filter((k) => keyState(k, now) === 'live');
  const chosen = live.length ? live : matches;
  if (chosen.length === 1) return chosen[0]!;
  if (!chosen.length)
    throw new CliError(
      `No API key of yours matches "${given}"; \`opsmesh keys list\` shows their ids and prefixes.`,
      EXIT.notFound,
    );
  throw usageError(
    `"${given}" matches ${chosen.length} API keys (${chosen.map((k) => `${k.id} "${k.name}"`).join(', ')}); give more of the id or prefix.`,
  );
}

function keyRows(keys: ApiKey[]): string {
  if (!keys.length) return 'No API keys yet. Create one: opsmesh keys create --name <label>';
  return table(keys, [
    { header: 'id', cell: (k) => k.id },
    { header: 'name', cell: (k) => k.name },
    { header: 'prefix', cell: (k) => k.prefix },
    { header: 'state', cell: (k) => keyState(k) },
    { header: 'created', cell: (k) => ago(k.created_at) },
    { header: 'last used', cell: (k) => (k.last_used_at ? ago(k.last_used_at) : 'never') },
    { header: 'expires', cell: (k) => day(k.expires_at) },
    { header: 'permissions', cell: (k) => k.permissions.join(',') },
  ]);
}

export const keys: Group = {
  summary: 'your API keys, for scripts and other programs',
  commands: {
    list: {
      usage: '',
      summary: 'List your API keys, newest first, revoked and expired ones included.',
      async run(ctx) {
        const items = await listKeys(ctx);
        ctx.out.result({ items }, () => keyRows(items));
      },
    },
    create: {
      usage: '--name <label> [--expires <30d | 12w | 1y | 2027-03-01>] [--permission <name>]...',
      summary:
        'Create an API key (90 days unless --expires says; all your permissions unless --permission narrows them). The key is shown once.',
      options: {
        name: { type: 'string' },
        expires: { type: 'string' },
        permission: { type: 'string', multiple: true },
      },
      async run(ctx, values) {
        const name = (str(values, 'name') ?? '').trim();
        if (!name)
          throw usageError('--name is required: a label to recognise the key by, e.g. --name ci-deploy');
        const expires = str(values, 'expires');
        const permissions = values['permission'] as string[] | undefined;
        const created = await ctx.api().request<CreatedApiKey>('POST', KEYS_PATH, {
          body: {
            name,
            ...(expires === undefined ? {} : { expires_in_days: expiresInDays(expires) }),
            ...(permissions ? { permissions: [...new Set(permissions)] } : {}),
          },
        });
        ctx.out.result(created, () =>
          [
            `Created API key ${created.id} "${created.name}", expires ${day(created.expires_at)}.`,
            '',
            `  ${created.key}`,
            '',
            'This key will not be shown again: store it now.',
            'Send it to the gateway as a header, "X-API-Key: <key>" (or "Authorization: Bearer <key>"),',
            'or set OPSMESH_TOKEN=<key> for the opsmesh command.',
          ].join('\n'),
        );
      },
    },
    revoke: {
      usage: '<id | start of the id or prefix>',
      summary: 'Revoke one of your API keys; the gateway refuses it within seconds.',
      positionals: [1, 1],
      async run(ctx, _values, [given]) {
        const key = pickKey(await listKeys(ctx), given!);
        if (key.revoked_at) {
          ctx.out.result(
            key,
            () => `API key ${key.id} "${key.name}" was already revoked ${ago(key.revoked_at)}.`,
          );
          return;
        }
        await ctx.api().request('DELETE', `${KEYS_PATH}/${encodeURIComponent(key.id)}`);
        const revoked = { ...key, revoked_at: new Date().toISOString() };
        ctx.out.result(revoked, () => `Revoked API key ${key.id} "${key.name}" (${key.prefix}…).`);
      },
    },
  },
};
