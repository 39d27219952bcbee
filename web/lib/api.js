// The session and the one way the console talks to the platform: the gateway's API with the
// access token kept in session storage, refreshed once on a 401.

const TOKEN = 'opsmesh.token';
const REFRESH = 'opsmesh.refresh';

/** The signed-in user (`/api/auth/me`), or null; `onSignedOut` is called when the session ends. */
export const session = {
  token: sessionStorage.getItem(TOKEN),
  refresh: sessionStorage.getItem(REFRESH),
  me: null,
  onSignedOut: () => {},
};

/** An answer the platform refused: the problem's detail, its status and stable code. */
export class ApiError extends Error {
  constructor(message, status, code, body) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

export function saveTokens(answer) {
  session.token = answer.access_token;
  session.refresh = answer.refresh_token ?? session.refresh;
  sessionStorage.setItem(TOKEN, session.token);
  if (session.refresh) sessionStorage.setItem(REFRESH, session.refresh);
}

export function clearSession() {
  session.token = null;
  session.refresh = null;
  session.me = null;
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(REFRESH);
}

/** Whether the signed-in user holds a permission (`alerts:ack`); the server checks again. */
export function can(permission) {
  return Boolean(session.me?.permissions?.includes(permission));
}

async function renew() {
  const res = await fetch('/api/auth/refresh', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refresh_token: session.refresh }),
  });
  if (!res.ok) return false;
  saveTokens(await res.json());
  return true;
}

/**
 * Calls the API and answers its JSON body. On 401 the access token is refreshed once and the
 * call repeated; a refused call throws an ApiError carrying the problem's detail (or the
 * inference protocol's own `{ error }`).
 *
 * @example
 * const { alerts } = await api('/api/monitoring/alerts');
 * await api('/api/monitoring/silences', { method: 'POST', body: { matchers, duration, comment } });
 */
export async function api(path, options = {}) {
  return (await call(path, options)).answer;
}

/**
 * Every item of a paged list (`x-next-offset` followed until it is absent), `key` naming the
 * body's array: `await apiAll('/api/monitoring/silences', 'silences', { limit: 1000 })`.
 */
export async function apiAll(path, key, params = {}) {
  const items = [];
  let offset = 0;
  while (offset !== undefined) {
    const { answer, res } = await call(`${path}${query({ ...params, offset: offset || undefined })}`);
    items.push(...answer[key]);
    const next = Number(res.headers.get('x-next-offset') ?? Number.NaN);
    offset = next > offset ? next : undefined;
  }
  return items;
}

/**
 * One page of a paged list: the body, `x-total-count` as `total`, and `x-next-offset` as `next`
 * (undefined on the last page).
 *
 * @example
 * const { answer, total, next } = await apiPage('/api/monitoring/traces', { limit: 50, offset: 50 });
 */
export async function apiPage(path, params = {}) {
  const { answer, res } = await call(`${path}${query(params)}`);
  const next = res.headers.get('x-next-offset');
  return {
    answer,
    total: Number(res.headers.get('x-total-count') ?? 0),
    next: next === null ? undefined : Number(next),
  };
}

let polling = 0;

/**
 * Runs the console's periodic refresh with its calls traced by no one: each carries a
 * `traceparent` with the sampled flag off, which the gateway and every service honour. The
 * platform traces none of its own upkeep (probes, scrapes, the revocation long poll), and the
 * console redrawing a view every 15 s is upkeep too: the traces list shows what people and
 * programs asked for instead. A view opened, a search or a button pressed is traced as ever; one
 * that starts while a refresh is in flight goes untraced with it.
 *
 * @example
 * setInterval(() => polled(() => view.refresh()), 15_000);
 */
export async function polled(refresh) {
  polling++;
  try {
    return await refresh();
  } finally {
    polling--;
  }
}

/** A W3C `traceparent` of a trace of its own whose sampled flag is off. */
function unsampledTraceparent() {
  const hex = (bytes) =>
    Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join(
      '',
    );
  return `00-${hex(16)}-${hex(8)}-00`;
}

async function call(path, { method = 'GET', body } = {}, retried = false) {
  const headers = body === undefined ? {} : { 'content-type': 'application/json' };
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  if (polling > 0) headers.traceparent = unsampledTraceparent();
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 401 && session.refresh && !retried) {
    if (await renew()) return call(path, { method, body }, true);
    clearSession();
    session.onSignedOut();
  }
  const type = res.headers.get('content-type') ?? '';
  const answer = res.status === 204 ? null : type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) {
    const detail = answer?.detail ?? answer?.error ?? answer?.title ?? `${res.status} ${res.statusText}`;
    throw new ApiError(detail, res.status, answer?.code, answer);
  }
  return { answer, res };
}

/** A query string from an object; arrays repeat the key, undefined values are left out. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    for (const v of Array.isArray(value) ? value : [value]) q.append(key, String(v));
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}
