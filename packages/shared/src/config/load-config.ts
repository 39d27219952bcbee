import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FormatRegistry, type Static, type TObject, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { trustedProxiesProblem } from '../http/trusted-proxies.js';

// TypeBox's value checker knows no string formats until told; these are the ones configs use.
if (!FormatRegistry.Has('email')) FormatRegistry.Set('email', (v) => /^[^\s@]+@[^\s@]+$/.test(v));
if (!FormatRegistry.Has('uri')) FormatRegistry.Set('uri', (v) => URL.canParse(v));
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (v) => !Number.isNaN(Date.parse(v)));
if (!FormatRegistry.Has('trusted-proxies'))
  FormatRegistry.Set('trusted-proxies', (v) => trustedProxiesProblem(v) === null);

/** Start-up stops with one of these, naming every bad variable at once. */
export class ConfigError extends Error {
  readonly problems: { variable: string; message: string }[];
  constructor(service: string, problems: { variable: string; message: string }[]) {
    super(
      `${service}: invalid configuration\n${problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Parses a `.env` file: `KEY=value`, `#` comments, optional single or double quotes. */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line
      .slice(0, eq)
      .replace(/^export\s+/, '')
      .trim();
    let value = line.slice(eq + 1).trim();
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) {
      value = value.slice(1, -1);
    }
    out[key] = value;
  }
  return out;
}

function describe(schema: Record<string, unknown>): string {
  if (schema['description']) return String(schema['description']);
  if (Array.isArray(schema['anyOf'])) {
    return `one of ${(schema['anyOf'] as { const?: unknown }[]).map((s) => JSON.stringify(s.const)).join(', ')}`;
  }
  const type = schema['type'];
  if (type === 'integer') {
    const min = schema['minimum'];
    const max = schema['maximum'];
    return `an integer${min !== undefined ? ` >= ${min}` : ''}${max !== undefined ? ` <= ${max}` : ''}`;
  }
  if (type === 'number') return 'a number';
  if (type === 'boolean') return 'true or false';
  if (schema['format'] === 'uri' || schema['pattern'])
    return `a string matching ${schema['pattern'] ?? 'a URL'}`;
  return 'a string';
}

/**
 * Reads a service's settings from the environment (and `./.env` when present), applies defaults,
 * coerces types and validates; throws a {@link ConfigError} naming every bad variable.
 *
 * @example
 * const Schema = Type.Object({ PORT: Type.Integer({ default: 8081 }) });
 * const config = loadConfig('auth-service', Schema); // config.PORT: number
 */
export function loadConfig<T extends TObject>(
  service: string,
  schema: T,
  env: Record<string, string | undefined> = process.env,
  options: { dotenvPath?: string | false } = {},
): Static<T> {
  let source: Record<string, string | undefined> = env;
  if (options.dotenvPath !== false) {
    const path = resolve(options.dotenvPath ?? '.env');
    if (existsSync(path)) source = { ...parseDotenv(readFileSync(path, 'utf8')), ...env };
  }
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const value = source[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  const withDefaults = Value.Default(schema, picked) as Record<string, unknown>;
  const converted = Value.Convert(schema, withDefaults) as Record<string, unknown>;
  // Conversion truncates "2.5" to 2 for an integer; a fraction is a mistake to name, not to round.
  const properties = schema.properties as Record<string, { type?: unknown }>;
  for (const key of Object.keys(picked)) {
    const raw = source[key];
    if (properties[key]?.type === 'integer' && raw !== undefined && !/^\s*[+-]?\d+\s*$/.test(raw))
      converted[key] = raw;
  }
  if (Value.Check(schema, converted)) return converted as Static<T>;

  const problems = new Map<string, string>();
  for (const error of Value.Errors(schema, converted)) {
    const variable = error.path.replace(/^\//, '').split('/')[0] ?? '';
    if (!variable || problems.has(variable)) continue;
    const propertySchema = (schema.properties as Record<string, Record<string, unknown>>)[variable];
    const given = (converted as Record<string, unknown>)[variable];
    problems.set(
      variable,
      given === undefined
        ? `is required: expected ${propertySchema ? describe(propertySchema) : 'a value'}`
        : `got ${JSON.stringify(given)}, expected ${propertySchema ? describe(propertySchema) : error.message}`,
    );
  }
  throw new ConfigError(
    service,
    [...problems].map(([variable, message]) => ({ variable, message })),
  );
}

/**
 * {@link loadConfig} for a service's `main.ts`: a bad configuration prints the one message naming
 * every offending variable and exits 1, instead of a stack trace.
 */
export function loadConfigOrExit<T extends TObject>(service: string, schema: T): Static<T> {
  try {
    return loadConfig(service, schema);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}

/** Settings every service shares; spread `CommonConfig.properties` into a service's schema. */
export const CommonConfig = Type.Object({
  HOST: Type.String({ default: '127.0.0.1', description: 'an interface address such as 127.0.0.1' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  OPSMESH_DATA_DIR: Type.String({ default: './data', description: 'a directory for service data' }),
  DATABASE_URL: Type.Optional(
    Type.String({ pattern: '^postgres(ql)?://', description: 'a postgres:// URL' }),
  ),
  AUTH_URL: Type.String({
    default: 'http://127.0.0.1:8081',
    pattern: '^https?://',
    description: 'an http(s) URL',
  }),
  JWT_ISSUER: Type.String({ default: 'opsmesh-auth' }),
  JWT_AUDIENCE: Type.String({ default: 'opsmesh' }),
  BODY_LIMIT: Type.Integer({ default: 1_048_576, minimum: 1024, maximum: 1_073_741_824 }),
  BODY_MIN_BYTES_PER_SECOND: Type.Integer({
    default: 240,
    minimum: 0,
    maximum: 1_073_741_824,
    description:
      'whole bytes per second, 0 for no minimum: a request body arriving slower once 5 s of it have passed is answered 408 and its connection closed',
  }),
  OPSMESH_CLIENT_ID: Type.Optional(Type.String({ description: "this service's service-account client id" })),
  OPSMESH_CLIENT_SECRET: Type.Optional(
    Type.String({ minLength: 16, description: 'its client secret (16+ characters)' }),
  ),
  ETCD_URL: Type.Optional(
    Type.String({ pattern: '^https?://', description: 'an etcd client URL such as http://127.0.0.1:2379' }),
  ),
  DNS_SERVICES: Type.Optional(
    Type.String({
      pattern: '^\\s*[\\w.-]+=[^,]+(,\\s*[\\w.-]+=[^,]+)*\\s*$',
      description: 'name=host:port or name=_http._tcp.host entries, comma-separated (DNS discovery)',
    }),
  ),
  DNS_SERVERS: Type.Optional(
    Type.String({ description: 'DNS servers for DNS discovery as ip or ip:port, comma-separated' }),
  ),
  ADVERTISE_HOST: Type.Optional(Type.String({ description: 'the host other instances reach this one at' })),
  DISCOVERY_TTL_SECONDS: Type.Integer({
    default: 10,
    minimum: 2,
    maximum: 3600,
    // Read as "expected ..." in a start-up error, so it says the range first.
    description:
      'whole seconds from 2 to 3600: how long a replica that died without stopping stays in etcd discovery (its lease TTL, kept alive at a third of it); a clean stop leaves at once',
  }),
  OTEL_EXPORTER_OTLP_ENDPOINT: Type.Optional(
    Type.String({
      pattern: '^https?://',
      description: 'an OTLP/HTTP collector base URL such as http://127.0.0.1:4318; spans go there',
    }),
  ),
  OTEL_EXPORTER_OTLP_PROTOCOL: Type.Optional(
    Type.Union([Type.Literal('http/protobuf'), Type.Literal('http/json')], {
      description: 'OTLP encoding towards the collector (default http/protobuf)',
    }),
  ),
  OTEL_SERVICE_NAME: Type.Optional(
    Type.String({ description: 'service.name of the spans (default: the service)' }),
  ),
  OTEL_TRACES_SAMPLER: Type.Optional(
    Type.Union(
      [
        'always_on',
        'always_off',
        'traceidratio',
        'parentbased_always_on',
        'parentbased_always_off',
        'parentbased_traceidratio',
      ].map((s) => Type.Literal(s)),
      { description: 'sampler (default parentbased_always_on)' },
    ),
  ),
  OTEL_TRACES_SAMPLER_ARG: Type.Optional(
    Type.String({
      pattern: '^(0(\\.\\d+)?|1(\\.0+)?)$',
      description: 'sampling ratio 0..1 for the *traceidratio samplers',
    }),
  ),
  OPSMESH_TRACE_STORE_URL: Type.Optional(
    Type.String({
      pattern: '^https?://',
      description: "the monitoring service's base URL, whose built-in trace store keeps recent traces",
    }),
  ),
  OPSMESH_TRACE_EXPORT: Type.Optional(
    Type.Union(
      ['auto', 'both', 'collector', 'store', 'none'].map((s) => Type.Literal(s)),
      {
        description: 'auto: the collector when OTEL_EXPORTER_OTLP_ENDPOINT is set, else the store',
      },
    ),
  ),
  SHUTDOWN_GRACE_MS: Type.Integer({ default: 10_000, minimum: 0, maximum: 120_000 }),
  TRUST_PROXY: Type.String({
    default: '',
    format: 'trusted-proxies',
    description:
      'proxies whose X-Forwarded-* headers are believed: addresses, CIDRs, loopback, private, comma-separated (none by default)',
  }),
});
export type CommonConfig = Static<typeof CommonConfig>;
