// Values for a JSON Schema (as the services' OpenAPI documents carry them): ones the schema
// accepts, ones on and just past each bound, and mutations of accepted ones (a wrong type, a
// missing or unknown field, a huge or hostile value) at any depth.
import fc from 'fast-check';

export type Schema = Record<string, unknown>;

/** Resolves `#/components/schemas/X` references against the document they came from. */
export type Resolver = (schema: Schema) => Schema;

export function resolverFor(doc: Record<string, unknown>): Resolver {
  return (schema) => {
    let s = schema;
    for (let i = 0; i < 8 && typeof s.$ref === 'string'; i++) {
      const path = (s.$ref as string).replace(/^#\//, '').split('/');
      let at: unknown = doc;
      for (const part of path) at = (at as Record<string, unknown> | undefined)?.[part];
      s = (at as Schema | undefined) ?? {};
    }
    return s;
  };
}

// Text that has broken parsers, decoders, loggers and databases elsewhere.
const HOSTILE_TEXT = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '%',
  '%E0%A4%A',
  '%00',
  '../../etc/passwd',
  '..%2F..%2F',
  "' OR '1'='1",
  '"; DROP TABLE x; --',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the attack
  '${jndi:ldap://x}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '\ud800',
  '\udfff\ud800',
  '😀'.repeat(40),
  '\u202e\u2066',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  'true',
  'null',
  '__proto__',
  'constructor',
  '(a+)+b',
  '(.*)*Z',
  '{__name__=~"(.*)*Z"}',
  '\\',
  '\r\n',
  'x'.repeat(5000),
  // Text that was slow for a chat message reader: long runs of one token shape, corrections and
  // clauses without end, a code block (each under the 2,000 characters a chat message may have).
  'a-'.repeat(999),
  `${' '.repeat(1998)}x`,
  '#1'.repeat(999),
  'alert number twenty one '.repeat(80),
  'ack 12 no wait '.repeat(130),
  'hello there, '.repeat(150),
  `\`\`\`\n${'SELECT a FROM t;\n'.repeat(110)}\`\`\``,
];

const HOSTILE_NUMBERS = [
  0,
  -0,
  -1,
  1,
  0.5,
  -1e-300,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 + 1,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
  1e308,
  -1e308,
  Number.MAX_VALUE,
];

/** Any value a JSON body may hold, hostile text and numbers included. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(...HOSTILE_TEXT, ...HOSTILE_NUMBERS, null, true, [], {}) },
);

function num(schema: Schema, key: string): number | undefined {
  const v = schema[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function typesOf(schema: Schema): string[] {
  const t = schema.type;
  if (Array.isArray(t)) return t as string[];
  if (typeof t === 'string') return [t];
  if (schema.properties) return ['object'];
  if (schema.items) return ['array'];
  return [];
}

/** Values on and just past the schema's own bounds, for scalars. */
export function edgesOf(schema: Schema): unknown[] {
  const edges: unknown[] = [];
  for (const type of typesOf(schema)) {
    if (type === 'string') {
      const min = num(schema, 'minLength') ?? 0;
      const max = num(schema, 'maxLength');
      edges.push('x'.repeat(min), min > 0 ? 'x'.repeat(min - 1) : '');
      if (max !== undefined) edges.push('x'.repeat(max), 'x'.repeat(Math.min(max + 1, 200_000)));
      if (schema.format === 'date-time') {
        edges.push('1970-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '2026-02-30T00:00:00Z', '0000-00-00');
      }
    }
    if (type === 'integer' || type === 'number') {
      const min = num(schema, 'minimum');
      const max = num(schema, 'maximum');
      if (min !== undefined) edges.push(min, min - 1);
      if (max !== undefined) edges.push(max, max + 1);
      edges.push(0, -1, 2 ** 53 + 1, 1e308, type === 'integer' ? 1.5 : -1e-300);
    }
    if (type === 'array') {
      const max = num(schema, 'maxItems');
      if (max !== undefined && max <= 10_000) edges.push(Array.from({ length: max + 1 }, () => null));
      edges.push([]);
    }
  }
  return edges;
}

const MAX_STRING = 64;
const MAX_ITEMS = 4;

/**
 * Values the schema accepts, mostly; leaves are sometimes one of its edge values (on or just
 * past a bound), so the generated requests probe both sides of every limit.
 *
 * @example
 * fc.sample(valuesOf({ type: 'integer', minimum: 1, maximum: 10 }, (s) => s), 3)
 */
export function valuesOf(schema: Schema, resolve: Resolver, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  if (depth > 6) return fc.constant(null);
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum) && s.enum.length > 0) return fc.constantFrom(...(s.enum as unknown[]));
  const alternatives = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (Array.isArray(alternatives) && alternatives.length > 0) {
    return fc.oneof(...alternatives.map((a) => valuesOf(a, resolve, depth + 1)));
  }
  if (Array.isArray(s.allOf)) {
    const merged: Schema = { type: 'object', properties: {}, required: [] };
    for (const part of s.allOf as Schema[]) {
      const p = resolve(part);
      Object.assign(merged.properties as Schema, p.properties ?? {});
      (merged.required as string[]).push(...((p.required as string[] | undefined) ?? []));
    }
    return valuesOf(merged, resolve, depth + 1);
  }
  const types = typesOf(s);
  if (types.length === 0) return anyJson;
  const arbitraries = types.map((type) => valuesOfType(type, s, resolve, depth));
  const valid = arbitraries.length === 1 ? arbitraries[0]! : fc.oneof(...arbitraries);
  const edges = edgesOf(s);
  if (edges.length === 0) return valid;
  return fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: fc.constantFrom(...edges) });
}

function valuesOfType(type: string, s: Schema, resolve: Resolver, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const min = num(s, 'minimum') ?? -1_000_000;
      const max = num(s, 'maximum') ?? Math.max(min + 1_000_000, 1_000_000);
      return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
    }
    case 'number': {
      const min = num(s, 'minimum') ?? -1e6;
      const max = num(s, 'maximum') ?? 1e6;
      return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case 'string':
      return stringsOf(s);
    case 'array': {
      const items = (s.items as Schema | undefined) ?? {};
      const minLength = Math.min(num(s, 'minItems') ?? 0, MAX_ITEMS);
      const maxLength = Math.max(minLength, Math.min(num(s, 'maxItems') ?? MAX_ITEMS, MAX_ITEMS));
      return fc.array(valuesOf(items, resolve, depth + 1), { minLength, maxLength });
    }
    default: {
      const properties = (s.properties as Record<string, Schema> | undefined) ?? {};
      const required = ((s.required as string[] | undefined) ?? []).filter((k) => k in properties);
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, prop] of Object.entries(properties)) model[key] = valuesOf(prop, resolve, depth + 1);
      const record = fc.record(model, { requiredKeys: required });
      const extra = s.additionalProperties;
      if (extra && typeof extra === 'object' && Object.keys(properties).length === 0) {
        return fc.dictionary(
          fc.string({ minLength: 1, maxLength: 12 }),
          valuesOf(extra as Schema, resolve, depth + 1),
          {
            maxKeys: 3,
          },
        );
      }
      return record;
    }
  }
}

function stringsOf(s: Schema): fc.Arbitrary<string> {
  const minLength = num(s, 'minLength') ?? 0;
  const maxLength = Math.max(minLength, Math.min(num(s, 'maxLength') ?? MAX_STRING, MAX_STRING));
  const examples = ((s.examples as unknown[] | undefined) ?? []).filter(
    (e): e is string => typeof e === 'string',
  );
  const fits = (v: string) => v.length >= minLength && v.length <= (num(s, 'maxLength') ?? Infinity);
  let base: fc.Arbitrary<string>;
  if (s.format === 'date-time') {
    base = fc
      .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString());
  } else if (s.format === 'email') {
    base = fc.emailAddress();
  } else if (s.format === 'uuid') {
    base = fc.uuid();
  } else if (typeof s.pattern === 'string') {
    let re: RegExp | undefined;
    try {
      re = new RegExp(s.pattern, 'u');
    } catch {
      re = undefined;
    }
    base = re
      ? fc.stringMatching(re).filter((v) => v.length <= Math.max(maxLength, 64) && fits(v))
      : fc.string({ minLength, maxLength });
  } else {
    base = fc.oneof(
      fc.string({ minLength, maxLength }),
      fc.string({ minLength, maxLength, unit: 'grapheme' }),
      fc.string({ minLength, maxLength, unit: 'binary' }),
    );
  }
  return examples.length > 0
    ? fc.oneof({ weight: 3, arbitrary: base }, { weight: 1, arbitrary: fc.constantFrom(...examples) })
    : base;
}

/** A hostile value of any type, for replacing an accepted one. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(...HOSTILE_TEXT, ...HOSTILE_NUMBERS, null, true, false, [], {}, [[[]]]),
  fc.jsonValue({ maxDepth: 2 }),
  fc.constant({ __proto__: { polluted: true } }).map(() => JSON.parse('{"__proto__":{"polluted":true}}')),
);

type Path = (string | number)[];

function paths(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (at.length > 5) return out;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) paths(v, [...at, i], out);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) paths(v, [...at, k], out);
  }
  return out;
}

function clone(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

function setAt(
  root: unknown,
  path: Path,
  f: (parent: Record<string | number, unknown>, key: string | number) => void,
): unknown {
  if (path.length === 0) {
    const box: Record<string, unknown> = { v: root };
    f(box, 'v');
    return box.v;
  }
  const copy = clone(root) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  f(at, path[path.length - 1]!);
  return copy;
}

/**
 * One mutation of `value` at one place in it: replaced by a hostile value, deleted, given an
 * unknown sibling, or buried under deep nesting.
 */
export function mutationsOf(value: unknown): fc.Arbitrary<unknown> {
  const places = paths(value);
  return fc
    .tuple(
      fc.constantFrom(...places),
      fc.constantFrom('replace', 'delete', 'extra', 'nest', 'type'),
      wrongValue,
      fc.string({ minLength: 1, maxLength: 16 }),
    )
    .map(([path, kind, wrong, key]) =>
      setAt(value, path, (parent, k) => {
        if (kind === 'delete' && path.length > 0) {
          if (Array.isArray(parent)) parent.splice(Number(k), 1);
          else delete parent[k];
        } else if (
          kind === 'extra' &&
          parent[k] &&
          typeof parent[k] === 'object' &&
          !Array.isArray(parent[k])
        ) {
          (parent[k] as Record<string, unknown>)[key] = wrong;
        } else if (kind === 'nest') {
          let deep: unknown = parent[k];
          for (let i = 0; i < 64; i++) deep = [deep];
          parent[k] = deep;
        } else if (kind === 'type') {
          const v = parent[k];
          parent[k] =
            typeof v === 'string'
              ? Number.isNaN(Number(v))
                ? 1
                : [v]
              : typeof v === 'number'
                ? String(v)
                : v === null
                  ? {}
                  : 'text';
        } else parent[k] = wrong;
      }),
    );
}
