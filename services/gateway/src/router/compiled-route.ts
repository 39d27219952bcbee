import type { ServiceConfig } from '../config/gateway-config-schema.js';
import type { CorsConfig } from '../config/plugin-schemas.js';
import type { RateLimiter } from '../rate-limit/rate-limiter.js';
import type { CompiledTransform } from '../transform/transformers.js';

export interface RouteAuth {
  /** No credentials needed (the `anonymous` plugin, or no auth plugin at all). */
  open: boolean;
  jwt: boolean;
  apiKey: boolean;
  /** Permission the jwt plugin demands on top of a valid identity. */
  permission: string | undefined;
}

/** A route with its plugins resolved (global, then service, then route) and ready to run. */
export interface CompiledRoute {
  name: string;
  service: Pick<ServiceConfig, 'name' | 'upstream' | 'retries'>;
  methods: ReadonlySet<string> | null;
  /** `true` strips the matched path, a string strips that prefix, null keeps the path. */
  strip: true | string | null;
  connectTimeoutMs: number;
  readTimeoutMs: number;
  auth: RouteAuth;
  limiter: RateLimiter | undefined;
  requestTransform: CompiledTransform | undefined;
  responseTransform: CompiledTransform | undefined;
  cors: CorsConfig | undefined;
  bodyLimit: number | undefined;
}

export type RouteMatch =
  | {
      kind: 'route';
      route: CompiledRoute;
      upstreamPath: string;
      /** The prefix stripped from the path (`/api/ml`), '' when none: told upstream as `x-forwarded-prefix`. */
      stripped: string;
    }
  | { kind: 'method'; allowed: string[] }
  | { kind: 'none' };
