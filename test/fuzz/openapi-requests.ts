// Requests derived from an OpenAPI document: every operation, with path parameters, query
// strings, headers, content types, encodings and bodies that are valid, on a bound, or mutated.
import fc from 'fast-check';
import { anyJson, mutationsOf, type Resolver, resolverFor, type Schema, valuesOf } from './schema-values.js';

export interface Operation {
  method: string;
  /** Path template as the document writes it: `/models/{name}`. */
  path: string;
  params: { in: 'path' | 'query' | 'header'; name: string; required: boolean; schema: Schema }[];
  /** Declared body media types and their schemas; empty when the document declares no body. */
  bodies: { type: string; schema: Schema }[];
}

/** Which credential a request carries; the sender turns it into headers at send time. */
export type Credential =
  | 'admin-key'
  | 'admin-jwt'
  | 'none'
  | 'bearer-garbage'
  | 'bearer-bad-base64'
  | 'api-key-garbage'
  | 'basic-malformed'
  | 'basic-bad-escape'
  | 'basic-no-colon';

export interface FuzzRequest {
  /** `METHOD /template`, for reports. */
  operation: string;
  method: string;
  /** Path and query, already encoded as sent on the wire. */
  target: string;
  credential: Credential;
  headers: Record<string, string>;
  body: Buffer | undefined;
  chunked: boolean;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/**
 * The operations of an OpenAPI 3 document, optionally only those under `prefix`.
 *
 * @example
 * operationsOf(doc).map((o) => `${o.method} ${o.path}`)
 */
export function operationsOf(doc: Record<string, unknown>, prefix = ''): Operation[] {
  const resolve = resolverFor(doc);
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Record<string, Schema>>)) {
    if (!path.startsWith(prefix)) continue;
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const params = ((op.parameters as Schema[] | undefined) ?? []).map((p) => {
        const param = resolve(p);
        return {
          in: param.in as 'path' | 'query' | 'header',
          name: String(param.name),
          required: param.required === true,
          schema: resolve((param.schema as Schema | undefined) ?? {}),
        };
      });
      const content = (resolve((op.requestBody as Schema | undefined) ?? {}).content ?? {}) as Record<
        string,
        Schema
      >;
      const bodies = Object.entries(content).map(([type, media]) => ({
        type,
        schema: resolve((media.schema as Schema | undefined) ?? {}),
      }));
      ops.push({ method: method.toUpperCase(), path, params, bodies });
    }
  }
  return ops;
}

// Path segments that are not what a route expects; the raw ones are sent as written (each is a
// legal request-target), the rest percent-encoded.
const RAW_SEGMENTS = [
  '%',
  '%zz',
  '%2F',
  '%2f..',
  '%2e%2e',
  '..',
  '.',
  '%00',
  '%E0%A4%A',
  '%25',
  '%25252F',
  ';a=b',
  '%5C',
  '~',
  "'",
];
const ODD_SEGMENTS = [
  '',
  ' ',
  'x'.repeat(3000),
  '😀',
  'a b',
  '__proto__',
  'constructor',
  '0',
  '-1',
  '1e3',
  'null',
  'a/b',
];

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16le',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/problem+json',
  'text/plain',
  'text/plain; charset=utf-8',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=fuzz',
  'application/octet-stream',
  'application/x-protobuf',
  '*/*',
  'garbage',
  'a/b/c',
  'application/json;;;',
  'application/json; boundary="',
  '',
];

const EXTRA_HEADERS: [string, string[]][] = [
  [
    'traceparent',
    [
      '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      '00-zz-zz-zz',
      'ff-' + 'f'.repeat(32) + '-' + 'f'.repeat(16) + '-ff',
      '',
    ],
  ],
  ['tracestate', ['a=b', '=', ',,,,', 'x'.repeat(600)]],
  ['x-request-id', ['req-1', '', 'x'.repeat(2000), '../../x', '{"a":1}', 'é']],
  ['accept', ['*/*', 'text/html', 'application/xml', 'application/json;q=0', 'garbage', '']],
  ['accept-encoding', ['gzip', 'br', 'deflate', 'identity;q=0', 'x-unknown']],
  ['content-encoding', ['gzip', 'deflate', 'br', 'identity', 'x-unknown', 'gzip, gzip']],
  ['x-forwarded-for', ['1.2.3.4', 'not-an-ip', '::1, 10.0.0.1', ',,,', 'x'.repeat(1000)]],
  ['forwarded', ['for=1.2.3.4;proto=https', 'for="[::1]:80"', 'garbage;;;=', 'for=']],
  ['x-forwarded-prefix', ['/api/ml', '../../', 'http://evil.example', '']],
  ['x-forwarded-proto', ['https', 'gopher', '']],
  ['cookie', ['a=b', '=;=;', 'session=%E0%A4%A', 'x'.repeat(3000)]],
  ['if-none-match', ['*', '"x"', 'W/']],
  ['range', ['bytes=0-0', 'bytes=-1', 'garbage']],
  ['accept-version', ['1', 'x']],
  ['x-slack-signature', ['v0=00', 'garbage']],
  ['inference-header-content-length', ['abc', '-1', '0', '1e3', '99999999999', '']],
  // Past Node's 16 KiB header limit: refused by the HTTP parser itself.
  ['x-padding', ['x'.repeat(20_000)]],
  ['x-slack-request-timestamp', ['0', '99999999999999999999', 'x']],
];

const MALFORMED_BODIES: (string | Buffer)[] = [
  '',
  '{',
  '{"a":',
  '[',
  'nul',
  '{"a":1}{',
  '{"a":1,}',
  "{'a':1}",
  '{"a":NaN}',
  '{"a":Infinity}',
  '{"a":1e999}',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '"text"',
  '123',
  'null',
  '[]',
  '\u0000',
  '\ufeff{}',
  '['.repeat(20_000) + ']'.repeat(20_000),
  '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000),
  Buffer.from([0xff, 0xfe, 0xfd, 0x00, 0x7b, 0x7d]),
  Buffer.from('{"a":"\xff\xfe"}', 'latin1'),
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  'a=1&a=2&b=%E0%A4%A&%=x',
  '--fuzz\r\nContent-Disposition: form-data; name="file"; filename="x"\r\n\r\nabc\r\n--fuzz--\r\n',
  '--fuzz\r\nContent-Disposition: form-data; name="file"\r\n\r\nunterminated',
];

/** A body past the kit's default 1 MiB limit; built once, it is a large string. */
const OVERSIZED = Buffer.from(`{"a":"${'x'.repeat(1_200_000)}"}`);

function encodeValue(v: unknown): string {
  return typeof v === 'string'
    ? v
    : v === undefined
      ? ''
      : typeof v === 'object'
        ? JSON.stringify(v)
        : String(v);
}

/** Percent-encodes any text, lone surrogates included (as U+FFFD: they have no UTF-8 form). */
function encode(v: unknown): string {
  return encodeURIComponent(
    encodeValue(v).replace(
      /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      '\ufffd',
    ),
  );
}

function headerSafe(v: string): string {
  // What a client can put in a header at all: visible Latin-1, no CR/LF or NUL.
  return v.replace(/[^\x20-\x7e\xa0-\xff\t]/g, '?');
}

/** Values of one parameter: its schema's, a known good one for that name, or a hostile one. */
function parameterValue(
  p: Operation['params'][number],
  resolve: Resolver,
  known: Record<string, string[]>,
): fc.Arbitrary<unknown> {
  const options: fc.WeightedArbitrary<unknown>[] = [{ weight: 4, arbitrary: valuesOf(p.schema, resolve) }];
  const good = known[p.name];
  if (good?.length) options.push({ weight: 4, arbitrary: fc.constantFrom(...good) });
  options.push({ weight: 1, arbitrary: anyJson });
  // A long poll (`wait`) answers only when its time is up: keep it short so "no hang" stays meaningful.
  if (p.name === 'wait')
    return fc.oneof(fc.integer({ min: 0, max: 1 }), fc.constantFrom('x', '-1', '1.5', ''));
  return fc.oneof(...options);
}

function pathFor(op: Operation, resolve: Resolver, known: Record<string, string[]>): fc.Arbitrary<string> {
  const names = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  if (names.length === 0) return fc.constant(op.path);
  const segment = (name: string) => {
    const param = op.params.find((p) => p.in === 'path' && p.name === name) ?? {
      in: 'path' as const,
      name,
      required: true,
      schema: { type: 'string' },
    };
    return fc.oneof(
      { weight: 8, arbitrary: parameterValue(param, resolve, known).map(encode) },
      { weight: 1, arbitrary: fc.constantFrom(...ODD_SEGMENTS).map(encodeURIComponent) },
      { weight: 1, arbitrary: fc.constantFrom(...RAW_SEGMENTS) },
    );
  };
  return fc
    .tuple(...names.map(segment))
    .map((values) => names.reduce((path, name, i) => path.replace(`{${name}}`, values[i]!), op.path));
}

function queryFor(op: Operation, resolve: Resolver, known: Record<string, string[]>): fc.Arbitrary<string> {
  const params = op.params.filter((p) => p.in === 'query');
  const pairs = params.map((p) =>
    fc
      .tuple(
        fc.double({ min: 0, max: 1, noNaN: true }),
        parameterValue(p, resolve, known),
        fc.constantFrom('once', 'once', 'once', 'twice', 'array'),
      )
      .map(([dice, value, shape]) => {
        if (dice > (p.required ? 0.95 : 0.5)) return '';
        const v = encode(value);
        if (shape === 'twice') return `${p.name}=${v}&${p.name}=${v}`;
        if (shape === 'array') return `${p.name}[]=${v}`;
        return `${p.name}=${v}`;
      }),
  );
  const extra = fc.oneof(
    { weight: 6, arbitrary: fc.constant('') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'unknown=1',
        '%=%',
        'a=%E0%A4%A',
        '__proto__[x]=1',
        'a[b][c]=d',
        '&&&',
        '=x',
      ),
    },
  );
  return fc.tuple(fc.tuple(...pairs), extra).map(([parts, more]) => {
    const q = [...parts, more].filter(Boolean).join('&');
    return q ? `?${q}` : '';
  });
}

function formOf(value: unknown): string {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return encodeValue(value);
  return new URLSearchParams(
    Object.entries(value as Record<string, unknown>).map(([k, v]): [string, string] => [k, encodeValue(v)]),
  ).toString();
}

function multipartOf(value: unknown): string {
  const fields = value && typeof value === 'object' ? Object.entries(value as Record<string, unknown>) : [];
  const parts = fields.map(
    ([k, v]) => `--fuzz\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${encodeValue(v)}\r\n`,
  );
  parts.push(
    '--fuzz\r\nContent-Disposition: form-data; name="file"; filename="m.onnx"\r\nContent-Type: application/octet-stream\r\n\r\n\x08\x07\x12\x00\r\n',
  );
  return `${parts.join('')}--fuzz--\r\n`;
}

/** Content type and body for one operation: declared ones mostly, any other sometimes. */
function bodyFor(
  op: Operation,
  resolve: Resolver,
): fc.Arbitrary<{ type: string | undefined; body: Buffer | undefined }> {
  const declared = op.bodies.length > 0 ? op.bodies : [{ type: 'application/json', schema: {} as Schema }];
  const takesBody = op.bodies.length > 0 || ['POST', 'PUT', 'PATCH'].includes(op.method);
  const shaped = fc
    .constantFrom(...declared)
    .chain(({ type, schema }) =>
      valuesOf(schema, resolve).chain((valid) =>
        fc
          .oneof({ weight: 3, arbitrary: fc.constant(valid) }, { weight: 3, arbitrary: mutationsOf(valid) })
          .chain((value) =>
            fc.tuple(
              fc.oneof(
                { weight: 8, arbitrary: fc.constant(type === '*/*' ? 'application/json' : type) },
                { weight: 3, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
              ),
              fc.constant(value),
            ),
          ),
      ),
    );
  const encoded = shaped.map(([type, value]) => {
    const t = type.toLowerCase();
    if (t.startsWith('application/x-www-form-urlencoded')) return { type, body: Buffer.from(formOf(value)) };
    if (t.startsWith('multipart/')) return { type, body: Buffer.from(multipartOf(value)) };
    const text = JSON.stringify(value) ?? 'null';
    if (t.includes('utf-16')) return { type, body: Buffer.from(text, 'utf16le') };
    return { type, body: Buffer.from(text) };
  });
  const raw = fc
    .tuple(fc.constantFrom(...CONTENT_TYPES), fc.constantFrom(...MALFORMED_BODIES))
    .map(([type, b]) => ({ type, body: Buffer.isBuffer(b) ? b : Buffer.from(b) }));
  const bytes = fc
    .tuple(
      fc.constantFrom('application/octet-stream', ...declared.map((d) => d.type)),
      fc.uint8Array({ maxLength: 2048 }),
    )
    .map(([type, b]) => ({ type, body: Buffer.from(b) }));
  const oversized = fc
    .constantFrom(...declared.map((d) => d.type), 'application/octet-stream')
    .map((type) => ({
      type,
      body: OVERSIZED,
    }));
  const none = fc.constant({ type: undefined, body: undefined });
  if (!takesBody) {
    return fc.oneof({ weight: 12, arbitrary: none }, { weight: 1, arbitrary: raw });
  }
  return fc.oneof(
    { weight: 10, arbitrary: encoded },
    { weight: 3, arbitrary: raw },
    { weight: 1, arbitrary: bytes },
    { weight: 1, arbitrary: oversized },
    { weight: 1, arbitrary: none },
  );
}

const credentials = fc.oneof(
  { weight: 10, arbitrary: fc.constant<Credential>('admin-key') },
  { weight: 5, arbitrary: fc.constant<Credential>('admin-jwt') },
  { weight: 2, arbitrary: fc.constant<Credential>('none') },
  {
    weight: 2,
    arbitrary: fc.constantFrom<Credential>(
      'bearer-garbage',
      'bearer-bad-base64',
      'api-key-garbage',
      'basic-malformed',
      'basic-bad-escape',
      'basic-no-colon',
    ),
  },
);

/**
 * Requests for the operations of one document, spread over every operation; `known` names good
 * values for path and query parameters by name (a model that exists, say) so requests reach
 * past the lookups too.
 */
export function requestsFor(
  doc: Record<string, unknown>,
  ops: Operation[],
  known: Record<string, string[]> = {},
): fc.Arbitrary<FuzzRequest> {
  const resolve = resolverFor(doc);
  return fc.constantFrom(...ops).chain((op) =>
    fc
      .record({
        path: pathFor(op, resolve, known),
        query: queryFor(op, resolve, known),
        credential: credentials,
        body: bodyFor(op, resolve),
        extra: fc.uniqueArray(
          fc
            .constantFrom(...EXTRA_HEADERS)
            .chain(([name, values]) => fc.tuple(fc.constant(name), fc.constantFrom(...values))),
          { maxLength: 2, selector: ([name]) => name },
        ),
        chunked: fc.boolean(),
      })
      .map(({ path, query, credential, body, extra, chunked }) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of extra) headers[name] = headerSafe(value);
        if (body.type !== undefined) headers['content-type'] = headerSafe(body.type);
        return {
          operation: `${op.method} ${op.path}`,
          method: op.method,
          target: path + query,
          credential,
          headers,
          body: body.body,
          chunked: chunked && body.body !== undefined,
        };
      }),
  );
}
