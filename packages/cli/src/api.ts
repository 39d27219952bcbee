import { PAGE_NEXT_HEADER } from '@opsmesh/contracts/paging';
import { CliError, EXIT, type Problem, problemError } from './cli-error.js';
import type { HostEntry, HostsStore } from './hosts.js';

/** Refresh this long before the access token expires, so it does not lapse in flight. */
const REFRESH_MARGIN_MS = 30_000;

export interface TokenAnswer {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
}

/** Where a request's bearer token comes from. */
export interface Credentials {
  /** A token to send now (refreshed first when it is about to expire). */
  token(): Promise<string>;
  /** A new token after the gateway refused `rejected`, or null when there is no way to get one. */
  renew(rejected: string): Promise<string | null>;
}

export interface RequestOptions {
  /** Query parameters; an array repeats the name (`id=a&id=b`). */
  query?: Record<string, string | number | string[] | undefined>;
  body?: unknown;
  /** false: no Authorization header (login, refresh). */
  auth?: boolean;
}

/** No stored login for the address; `others` are the gateways that hold one. */
class NotLoggedIn extends CliError {
  constructor(
    readonly host: string,
    readonly others: readonly string[],
  ) {
    super(
      others.length
        ? `Not logged in to ${host}, only to ${others.join(', ')}. Use that address (or leave --url and OPSMESH_URL out), or run: opsmesh login --url ${host}`
        : `Not logged in to ${host}. Run: opsmesh login --url ${host} (or set OPSMESH_TOKEN to an API key).`,
      EXIT.auth,
    );
  }
}

function notLoggedIn(host: string, elsewhere: readonly string[] = []): NotLoggedIn {
  // A mistyped --url reads as "not logged in": the gateways that do hold a login are named.
  return new NotLoggedIn(
    host,
    elsewhere.filter((h) => h !== host),
  );
}

/** An open gateway route that every gateway answers, asked before advice to log in there. */
const GATEWAY_PROBE = '/api/auth/.well-known/jwks.json';

/**
 * The error for a command with no login for its address, once the address has been asked
 * whether it is a gateway at all: "run opsmesh login --url" is no help for a port where nothing
 * listens or where a service (not the gateway) answers. Such an address is named as such
 * (exit 10), with the gateways that hold a login; a gateway keeps the not-logged-in error.
 */
async function checkedNotLoggedIn(err: NotLoggedIn): Promise<CliError> {
  const logins = err.others.length
    ? ` You are logged in to ${err.others.join(', ')}: use that address (or leave --url and OPSMESH_URL out).`
    : '';
  let res: Response;
  try {
    res = await send(err.host, 'GET', GATEWAY_PROBE);
  } catch (unreachable) {
    return new CliError(`${(unreachable as Error).message}${logins}`, EXIT.unreachable);
  }
  const body = await readBody(res);
  if (res.status !== 404) return err;
  const wrong = notTheGateway(err.host, 'GET', GATEWAY_PROBE, body);
  return wrong ? new CliError(`${wrong.message}${logins}`, wrong.exitCode, wrong.problem) : err;
}

/**
 * The error for a 404 that says the route itself is missing (every route the CLI calls exists on
 * the gateway): the address is not the gateway's, e.g. a service's own port, a path after the
 * port, or another server. Null for a 404 about a thing (no such model).
 */
export function notTheGateway(host: string, method: string, path: string, body: unknown): CliError | null {
  const problem = (body && typeof body === 'object' ? body : {}) as Problem;
  const routeMissing =
    problem.code === 'GATEWAY_ROUTE_NOT_FOUND' ||
    (problem.code === 'NOT_FOUND' && /^No route /.test(problem.detail ?? '')) ||
    !problem.code;
  if (!routeMissing) return null;
  const url = new URL(host);
  const advice =
    url.pathname !== '/'
      ? `give the gateway's address without a path, e.g. ${url.origin}`
      : `give the gateway's address, the one npm start prints ("Open http://127.0.0.1:8080/" unless GATEWAY_PORT moves it)`;
  return new CliError(
    `${host} is not the opsmesh gateway: it has no ${method} ${path.split('?')[0]}. With --url or OPSMESH_URL, ${advice}.`,
    EXIT.unreachable,
    { ...problem, status: 404 },
  );
}

/** Reads an answer's body: JSON when it says so, else text. */
async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return undefined;
  if (/json/.test(res.headers.get('content-type') ?? '')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** Turns a failed answer into the error the CLI exits with. */
export function answerError(status: number, body: unknown): CliError {
  if (body && typeof body === 'object') {
    const b = body as Problem & { error?: string };
    // The Open Inference Protocol's own error shape: `{ "error": "..." }`.
    if (!b.title && typeof b.error === 'string') return problemError({ title: b.error }, status);
    return problemError(b, status);
  }
  return problemError(
    { title: `HTTP ${status}`, detail: typeof body === 'string' ? body.slice(0, 500) : '' },
    status,
  );
}

/** The tokens `opsmesh login` stored for a gateway, refreshed (under the store's lock) when due. */
export function storedCredentials(store: HostsStore, host: string, now = () => Date.now()): Credentials {
  const entry = (): HostEntry => {
    const hosts = store.read().hosts;
    const e = hosts[host];
    if (!e) throw notLoggedIn(host, Object.keys(hosts));
    return e;
  };
  const refresh = (rejected: string | null) =>
    store.withLock(async () => {
      // Another process may have refreshed while this one waited for the lock: use its token.
      const current = entry();
      const due = Date.parse(current.expires_at) - now() < REFRESH_MARGIN_MS;
      if (current.access_token !== rejected && !due) return current.access_token;
      const res = await send(host, 'POST', '/api/auth/refresh', { refresh_token: current.refresh_token });
      const body = await readBody(res);
      if (!res.ok) {
        if (res.status === 401 || res.status === 400) {
          store.update(host, undefined);
          const p = body as Problem | undefined;
          throw new CliError(
            `Your session on ${host} has ended (${p?.detail ?? p?.title ?? `HTTP ${res.status}`}). Run: opsmesh login --url ${host}`,
            EXIT.auth,
            p,
          );
        }
        throw answerError(res.status, body);
      }
      const t = body as TokenAnswer;
      store.update(host, {
        ...current,
        access_token: t.access_token,
        refresh_token: t.refresh_token ?? current.refresh_token,
        expires_at: new Date(now() + t.expires_in * 1000).toISOString(),
      });
      return t.access_token;
    });
  return {
    async token() {
      const e = entry();
      if (Date.parse(e.expires_at) - now() >= REFRESH_MARGIN_MS) return e.access_token;
      return refresh(null);
    },
    renew: (rejected) => refresh(rejected),
  };
}

/** A fixed token (OPSMESH_TOKEN: an API key or an access token); nothing to refresh. */
export function fixedCredentials(token: string): Credentials {
  return { token: async () => token, renew: async () => null };
}

async function send(host: string, method: string, path: string, body?: unknown, token?: string) {
  try {
    return await fetch(host + path, {
      method,
      headers: {
        accept: 'application/json, application/problem+json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    if (host.startsWith('https:') && /SSL|TLS|EPROTO/i.test(cause?.code ?? '')) {
      throw new CliError(
        `${host} does not answer TLS (${cause?.code}). The gateway npm start runs speaks plain HTTP: use ${host.replace(/^https:/, 'http:')}.`,
        EXIT.unreachable,
      );
    }
    throw new CliError(
      `Cannot reach the gateway at ${host} (${cause?.code ?? cause?.message ?? (err as Error).message}). Is the platform running (npm start)? Set the address with --url or OPSMESH_URL.`,
      EXIT.unreachable,
    );
  }
}

/**
 * Calls the platform through its gateway with the caller's token; on a 401 it renews the token
 * once and repeats the request (JSON bodies can be sent again).
 *
 * @example
 * const api = new Api('http://127.0.0.1:8080', storedCredentials(store, host));
 * const { items } = await api.request<{ items: User[] }>('GET', '/api/auth/users', { query: { limit: 50 } });
 */
export class Api {
  constructor(
    readonly host: string,
    private readonly credentials: Credentials | null,
  ) {}

  /** The token to send, for requests made outside `request` (a streamed upload). */
  async token(): Promise<string> {
    try {
      if (!this.credentials) throw notLoggedIn(this.host);
      return await this.credentials.token();
    } catch (err) {
      throw err instanceof NotLoggedIn ? await checkedNotLoggedIn(err) : err;
    }
  }

  /** A new token after `rejected` was refused (null when there is no way to get one). */
  async renew(rejected: string): Promise<string | null> {
    return this.credentials ? this.credentials.renew(rejected) : null;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    return (await this.exchange<T>(method, path, options)).body;
  }

  /**
   * Every item of a paged list: pages of `options.query` are asked for from offset 0, following
   * `x-next-offset` until it is absent; `key` names the body's array.
   */
  async requestAll<T>(path: string, key: string, options: RequestOptions = {}): Promise<T[]> {
    const items: T[] = [];
    let offset: number | undefined = 0;
    while (offset !== undefined) {
      const answer: { body: Record<string, T[]>; headers: Headers } = await this.exchange('GET', path, {
        ...options,
        query: { ...options.query, offset: offset || undefined },
      });
      items.push(...(answer.body[key] ?? []));
      const next: number = Number(answer.headers.get(PAGE_NEXT_HEADER) ?? Number.NaN);
      offset = next > offset ? next : undefined;
    }
    return items;
  }

  private async exchange<T>(
    method: string,
    path: string,
    options: RequestOptions,
  ): Promise<{ body: T; headers: Headers }> {
    const query = Object.entries(options.query ?? {}).flatMap(([k, v]): [string, string][] =>
      v === undefined || v === '' ? [] : Array.isArray(v) ? v.map((x) => [k, x]) : [[k, String(v)]],
    );
    const url = query.length ? `${path}?${new URLSearchParams(query).toString()}` : path;
    const useAuth = options.auth !== false;
    let token = useAuth ? await this.token() : undefined;
    let res = await send(this.host, method, url, options.body, token);
    if (res.status === 401 && useAuth && token && this.credentials) {
      const renewed = await this.credentials.renew(token);
      if (renewed) {
        await res.body?.cancel();
        token = renewed;
        res = await send(this.host, method, url, options.body, token);
      }
    }
    const body = await readBody(res);
    if (res.status === 404) throw notTheGateway(this.host, method, path, body) ?? answerError(404, body);
    if (!res.ok) throw answerError(res.status, body);
    return { body: body as T, headers: res.headers };
  }
}
