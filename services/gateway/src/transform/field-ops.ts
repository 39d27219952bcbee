/**
 * The four Kong transformer operations, applied in Kong's order: remove, rename, replace
 * (only when present), add (only when absent). Each function works on one kind of field.
 */
export interface FieldOps<V> {
  remove?: readonly string[] | undefined;
  rename?: Readonly<Record<string, string>> | undefined;
  replace?: Readonly<Record<string, V>> | undefined;
  add?: Readonly<Record<string, V>> | undefined;
}

export function hasOps(ops: FieldOps<unknown>): boolean {
  return Boolean(
    ops.remove?.length ||
      (ops.rename && Object.keys(ops.rename).length) ||
      (ops.replace && Object.keys(ops.replace).length) ||
      (ops.add && Object.keys(ops.add).length),
  );
}

type HeaderValue = string | string[] | number | undefined;

/** Headers are matched case-insensitively and stored lower-case, as Node gives them. */
export function transformHeaders(headers: Record<string, HeaderValue>, ops: FieldOps<string>): void {
  for (const name of ops.remove ?? []) delete headers[name.toLowerCase()];
  for (const [from, to] of Object.entries(ops.rename ?? {})) {
    const value = headers[from.toLowerCase()];
    if (value === undefined) continue;
    delete headers[from.toLowerCase()];
    headers[to.toLowerCase()] = value;
  }
  for (const [name, value] of Object.entries(ops.replace ?? {})) {
    if (headers[name.toLowerCase()] !== undefined) headers[name.toLowerCase()] = value;
  }
  for (const [name, value] of Object.entries(ops.add ?? {})) {
    if (headers[name.toLowerCase()] === undefined) headers[name.toLowerCase()] = value;
  }
}

/** Applies the operations to a query string (without the `?`); returns the new one. */
export function transformQuery(query: string, ops: FieldOps<string>): string {
  const params = new URLSearchParams(query);
  for (const name of ops.remove ?? []) params.delete(name);
  for (const [from, to] of Object.entries(ops.rename ?? {})) {
    const values = params.getAll(from);
    if (values.length === 0) continue;
    params.delete(from);
    for (const v of values) params.append(to, v);
  }
  for (const [name, value] of Object.entries(ops.replace ?? {}))
    if (params.has(name)) params.set(name, value);
  for (const [name, value] of Object.entries(ops.add ?? {})) if (!params.has(name)) params.set(name, value);
  return params.toString();
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Follows a dotted path (`meta.owner`) to the object holding its last segment. */
function parentOf(body: Json, path: string, create: boolean): { holder: Json; key: string } | undefined {
  const parts = path.split('.');
  let holder: Json = body;
  for (const part of parts.slice(0, -1)) {
    let next = holder[part];
    if (!isObject(next)) {
      if (!create || next !== undefined) return undefined;
      next = {};
      holder[part] = next;
    }
    holder = next as Json;
  }
  return { holder, key: parts[parts.length - 1]! };
}

/**
 * Applies the operations to a JSON body; only objects are changed (arrays and scalars are
 * passed through, since field names mean nothing there). Field names may be dotted paths.
 */
export function transformJsonBody(body: unknown, ops: FieldOps<unknown>): unknown {
  if (!isObject(body)) return body;
  for (const path of ops.remove ?? []) {
    const at = parentOf(body, path, false);
    if (at) delete at.holder[at.key];
  }
  for (const [from, to] of Object.entries(ops.rename ?? {})) {
    const src = parentOf(body, from, false);
    if (!src || !(src.key in src.holder)) continue;
    const value = src.holder[src.key];
    delete src.holder[src.key];
    const dst = parentOf(body, to, true);
    if (dst) dst.holder[dst.key] = value;
  }
  for (const [path, value] of Object.entries(ops.replace ?? {})) {
    const at = parentOf(body, path, false);
    if (at && at.key in at.holder) at.holder[at.key] = value;
  }
  for (const [path, value] of Object.entries(ops.add ?? {})) {
    const at = parentOf(body, path, true);
    if (at && !(at.key in at.holder)) at.holder[at.key] = value;
  }
  return body;
}
