import type { TestApp } from './test-app.js';

/** inject() helpers returning status, headers and parsed JSON. */

export async function call(
  t: TestApp,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  token?: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await t.inject({
    method,
    url,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    ...(body === undefined ? {} : Buffer.isBuffer(body) ? { payload: body } : { payload: body as object }),
  });
  let json: unknown;
  try {
    json = res.body ? JSON.parse(res.body) : undefined;
  } catch {
    json = undefined;
  }
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected loosely
  return { status: res.statusCode, headers: res.headers, json: json as any, body: res.body };
}

export function uploadRaw(t: TestApp, name: string, bytes: Uint8Array, token: string) {
  return call(t, 'POST', `/models/${name}/versions`, token, Buffer.from(bytes), {
    'content-type': 'application/octet-stream',
  });
}

export function irisInput(rows: number[][]) {
  return { inputs: [{ name: 'features', datatype: 'FP32', shape: [rows.length, 4], data: rows }] };
}
