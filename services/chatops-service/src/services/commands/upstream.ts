import { type HttpClient, type RequestOptions, UpstreamError } from '@opsmesh/shared';
import type { Actor } from '../../models/command.js';

/**
 * Calls another service as the chat user: their token on the request, their request id passed on.
 * A failure is thrown as the shared client's typed `UpstreamError`; the executor turns it into a
 * reply (`replies.ts`), so handlers read as the happy path.
 */
export async function callAs<T>(client: HttpClient, actor: Actor, options: RequestOptions): Promise<T> {
  return (await callAsWithHeaders<T>(client, actor, options)).data;
}

/** `callAs`, answering the response headers as well (a paged list's `x-next-offset`). */
export async function callAsWithHeaders<T>(
  client: HttpClient,
  actor: Actor,
  options: RequestOptions,
): Promise<{ data: T; headers: Headers }> {
  const token = await actor.token();
  const res = await client.request<T>({
    ...options,
    token,
    ...(actor.requestId ? { requestId: actor.requestId } : {}),
  });
  if (!res.ok) throw res.error;
  return { data: res.data, headers: res.headers };
}

export { UpstreamError };
