import type { Identity } from '@opsmesh/shared';
import type { CompiledRoute } from '../router/compiled-route.js';
import type { UpstreamInstance } from '../upstream/upstream-instance.js';

/** What the gateway learned about a request on its way through, read by later hooks. */
export interface ProxyState {
  route: CompiledRoute;
  upstreamPath: string;
  identity: Identity | null;
  bodyLimit: number;
  /** The instance that answered (or the last one tried). */
  instance: UpstreamInstance | undefined;
  attempts: number;
  rateLimitHeaders: Record<string, string> | undefined;
  /** A request body streamed through untouched (set by the body parser). */
  bodyStream?: NodeJS.ReadableStream | undefined;
}
