import { type Static, type TSchema, Type } from '@sinclair/typebox';

const HeaderName = Type.String({ pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$", maxLength: 128 });
const NameList = Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 64 });
const ValueMap = Type.Record(Type.String({ minLength: 1 }), Type.String({ maxLength: 4096 }));
const RenameMap = Type.Record(Type.String({ minLength: 1 }), Type.String({ minLength: 1, maxLength: 256 }));

function parts<Q extends TSchema>(query: Q) {
  return {
    headers: Type.Optional(Type.Record(HeaderName, Type.String({ maxLength: 4096 }))),
    body: Type.Optional(Type.Record(Type.String({ minLength: 1 }), Type.Unknown())),
    querystring: query,
  };
}
const lists = <Q extends TSchema>(query: Q) => ({
  headers: Type.Optional(Type.Array(HeaderName, { maxItems: 64 })),
  body: Type.Optional(NameList),
  querystring: query,
});
const renames = <Q extends TSchema>(query: Q) => ({
  headers: Type.Optional(Type.Record(HeaderName, HeaderName)),
  body: Type.Optional(RenameMap),
  querystring: query,
});

/** Kong's transformer sections (remove / rename / replace / add) over headers, query and JSON body. */
function transformSection<A extends TSchema, B extends TSchema, C extends TSchema>(
  list: A,
  rename: B,
  values: C,
) {
  const closed = { additionalProperties: false };
  return Type.Object(
    {
      remove: Type.Optional(Type.Object(lists(list), closed)),
      rename: Type.Optional(Type.Object(renames(rename), closed)),
      replace: Type.Optional(Type.Object(parts(values), closed)),
      add: Type.Optional(Type.Object(parts(values), closed)),
    },
    closed,
  );
}

export const RequestTransformerSchema = transformSection(
  Type.Optional(NameList),
  Type.Optional(RenameMap),
  Type.Optional(ValueMap),
);
export type RequestTransformerConfig = Static<typeof RequestTransformerSchema>;
// A response has no query string: the field is refused rather than silently ignored.
export const ResponseTransformerSchema = transformSection(
  Type.Optional(Type.Never()),
  Type.Optional(Type.Never()),
  Type.Optional(Type.Never()),
);
export type ResponseTransformerConfig = Static<typeof ResponseTransformerSchema>;

export const RateLimitSchema = Type.Object(
  {
    policy: Type.Union([Type.Literal('local'), Type.Literal('redis')], { default: 'local' }),
    limit_by: Type.Union([Type.Literal('consumer'), Type.Literal('ip')], { default: 'consumer' }),
    second: Type.Optional(Type.Integer({ minimum: 1 })),
    minute: Type.Optional(Type.Integer({ minimum: 1 })),
    hour: Type.Optional(Type.Integer({ minimum: 1 })),
    day: Type.Optional(Type.Integer({ minimum: 1 })),
    /**
     * The `redis` policy only: every this many ms each gateway adds the hits it counted to
     * Redis and reads the totals back (nothing on the request path waits for Redis); 0 decides
     * every hit in Redis, exactly, at one round trip per request.
     */
    sync_ms: Type.Integer({ minimum: 0, maximum: 60_000, default: 100 }),
  },
  { additionalProperties: false },
);
export type RateLimitConfig = Static<typeof RateLimitSchema>;

export const JwtPluginSchema = Type.Object(
  { permission: Type.Optional(Type.String({ minLength: 1 })) },
  { additionalProperties: false },
);
/** Keys come as `X-API-Key` or `Bearer omk_...`; their cache TTL is `API_KEY_CACHE_TTL_MS` (one cache for the process). */
export const ApiKeyPluginSchema = Type.Object({}, { additionalProperties: false });
export const AnonymousPluginSchema = Type.Object({}, { additionalProperties: false });

export const CorsPluginSchema = Type.Object(
  {
    origins: Type.Array(Type.String({ minLength: 1 }), { default: ['*'] }),
    methods: Type.Array(Type.String(), { default: ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'] }),
    headers: Type.Optional(Type.Array(Type.String())),
    exposed_headers: Type.Array(Type.String(), {
      default: ['x-request-id', 'RateLimit', 'RateLimit-Policy', 'Retry-After'],
    }),
    credentials: Type.Boolean({ default: false }),
    max_age: Type.Integer({ minimum: 0, default: 600 }),
  },
  { additionalProperties: false },
);
export type CorsConfig = Static<typeof CorsPluginSchema>;

export const BodyLimitPluginSchema = Type.Object(
  { bytes: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false },
);

/** Every plugin the gateway knows, with the schema its `config` must satisfy. */
export const PLUGIN_SCHEMAS = {
  jwt: JwtPluginSchema,
  'api-key': ApiKeyPluginSchema,
  anonymous: AnonymousPluginSchema,
  'rate-limit': RateLimitSchema,
  'request-transformer': RequestTransformerSchema,
  'response-transformer': ResponseTransformerSchema,
  cors: CorsPluginSchema,
  'body-limit': BodyLimitPluginSchema,
} satisfies Record<string, TSchema>;

export type PluginName = keyof typeof PLUGIN_SCHEMAS;
export const PLUGIN_NAMES = Object.keys(PLUGIN_SCHEMAS) as PluginName[];
