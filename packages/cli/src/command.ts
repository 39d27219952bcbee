import type { ParseArgsConfig } from 'node:util';
import { Api, fixedCredentials, storedCredentials } from './api.js';
import { usageError } from './cli-error.js';
import { configDir, HostsStore } from './hosts.js';
import type { Output } from './output.js';

export const DEFAULT_URL = 'http://127.0.0.1:8080';

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** What every command gets: its output, the gateway it talks to and the token store. */
export interface Context {
  out: Output;
  env: NodeJS.ProcessEnv;
  store: HostsStore;
  /** The gateway: --url, else OPSMESH_URL, else the host of the last login, else DEFAULT_URL. */
  host: string;
  /** A client with the caller's credentials (OPSMESH_TOKEN, else the stored login). */
  api(): Api;
}

export interface Command {
  /** e.g. `create --email <email> [--role <role>]...` (after the group name). */
  usage: string;
  summary: string;
  options?: Options;
  /** How many positionals it takes: [min, max]. */
  positionals?: [number, number];
  run(ctx: Context, values: Values, positionals: string[]): Promise<void>;
}

/** A command group (`users`, `models`, ...) and its subcommands. */
export interface Group {
  summary: string;
  commands: Record<string, Command>;
}

/** A gateway address as a base URL with no trailing slash. */
export function normalizeHost(url: string): string {
  let parsed: URL;
  try {
    // `127.0.0.1:8080` or `localhost:8080`, as curl takes them: plain HTTP, as npm start serves.
    parsed = new URL(/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+):[0-9]+(\/|$)/i.test(url) ? `http://${url}` : url);
  } catch {
    throw usageError(`"${url}" is not a URL; give the gateway's address, e.g. ${DEFAULT_URL}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw usageError(`"${url}" must be an http:// or https:// address`);
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

export function createContext(out: Output, env: NodeJS.ProcessEnv, url: string | undefined): Context {
  const store = new HostsStore(configDir(env));
  const chosen = url ?? env['OPSMESH_URL'] ?? (safeDefault(store) || DEFAULT_URL);
  const host = normalizeHost(chosen);
  return {
    out,
    env,
    store,
    host,
    api: () => {
      const token = env['OPSMESH_TOKEN'];
      return new Api(host, token ? fixedCredentials(token) : storedCredentials(store, host));
    },
  };
}

function safeDefault(store: HostsStore): string | undefined {
  try {
    return store.read().default;
  } catch {
    return undefined;
  }
}

/** A string option's value, or undefined. */
export function str(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A required string option. */
export function required(values: Values, name: string): string {
  const v = str(values, name);
  if (!v) throw usageError(`--${name} is required`);
  return v;
}

/**
 * A model version as the CLI's own tables show it (`v3`) or as a number (`3`).
 *
 * @example
 * versionNumber('v3') // 3
 */
export function versionNumber(value: string): number {
  return positiveInt(/^v[0-9]/i.test(value) ? value.slice(1) : value, 'The version', value);
}

/** A positive whole number from an option or argument (`shown`: the value as it was typed). */
export function positiveInt(value: string, what: string, shown = value): number {
  if (!/^[1-9][0-9]{0,8}$/.test(value))
    throw usageError(`${what} must be a whole number from 1, not "${shown}"`);
  return Number(value);
}
