import { type Static, Type } from '@sinclair/typebox';
import { PLUGIN_NAMES } from './plugin-schemas.js';

export const PluginEntrySchema = Type.Object(
  {
    name: Type.Union(PLUGIN_NAMES.map((n) => Type.Literal(n))),
    enabled: Type.Boolean({ default: true }),
    config: Type.Record(Type.String(), Type.Unknown(), { default: {} }),
  },
  { additionalProperties: false },
);
export type PluginEntry = Static<typeof PluginEntrySchema>;

const Method = Type.Union(
  ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].map((m) => Type.Literal(m)),
);
const Timeout = Type.Integer({ minimum: 1, maximum: 600_000 });

export const RouteSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 64 }),
    /** Path prefixes, matched on segment boundaries; the longest match wins. */
    paths: Type.Array(Type.String({ pattern: '^/', maxLength: 512 }), { minItems: 1 }),
    methods: Type.Optional(Type.Array(Method, { minItems: 1 })),
    /** `true` strips the matched path (as Kong does); a string strips that prefix; `false` keeps the path. */
    strip_path: Type.Union([Type.Boolean(), Type.String({ pattern: '^/' })], { default: false }),
    connect_timeout: Type.Optional(Timeout),
    read_timeout: Type.Optional(Timeout),
    plugins: Type.Array(PluginEntrySchema, { default: [] }),
  },
  { additionalProperties: false },
);
export type RouteConfig = Static<typeof RouteSchema>;

export const HealthChecksSchema = Type.Object(
  {
    passive: Type.Object(
      {
        failures: Type.Integer({ minimum: 1, default: 3 }),
        cooldown_ms: Type.Integer({ minimum: 100, default: 10_000 }),
      },
      { additionalProperties: false, default: {} },
    ),
    active: Type.Object(
      {
        enabled: Type.Boolean({ default: true }),
        path: Type.String({ pattern: '^/', default: '/health/ready' }),
        interval_ms: Type.Integer({ minimum: 100, default: 5_000 }),
        timeout_ms: Type.Integer({ minimum: 10, default: 1_000 }),
        /** Consecutive failed probes before an instance leaves rotation; one success brings it back. */
        failures: Type.Integer({ minimum: 1, default: 2 }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false, default: {} },
);

export const ServiceSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 64 }),
    /** The name the upstream is known by in discovery. */
    upstream: Type.String({ minLength: 1, maxLength: 128 }),
    balancer: Type.Union([Type.Literal('round-robin'), Type.Literal('least-outstanding')], {
      default: 'least-outstanding',
    }),
    retries: Type.Integer({ minimum: 0, maximum: 3, default: 1 }),
    connect_timeout: Type.Integer({ minimum: 1, maximum: 600_000, default: 2_000 }),
    read_timeout: Type.Integer({ minimum: 1, maximum: 600_000, default: 30_000 }),
    /** Where the service's OpenAPI document is, served together under `/docs`. */
    openapi_path: Type.Optional(Type.String({ pattern: '^/' })),
    healthchecks: HealthChecksSchema,
    plugins: Type.Array(PluginEntrySchema, { default: [] }),
    routes: Type.Array(RouteSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type ServiceConfig = Static<typeof ServiceSchema>;

export const GatewayConfigSchema = Type.Object(
  {
    format_version: Type.Literal('1'),
    plugins: Type.Array(PluginEntrySchema, { default: [] }),
    services: Type.Array(ServiceSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type GatewayConfig = Static<typeof GatewayConfigSchema>;
