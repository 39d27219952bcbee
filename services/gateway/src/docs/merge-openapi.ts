import { ProblemSchema } from '@opsmesh/contracts';

/** The parts of an OpenAPI 3.1 document the merge reads and writes. */
export interface OpenApiDoc {
  openapi?: string;
  info?: { title?: string; version?: string; description?: string };
  paths?: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
  tags?: { name: string; description?: string }[];
  [key: string]: unknown;
}

export interface MountedDoc {
  /** The tag its operations get: the gateway service name (`ml`). */
  name: string;
  /** Where the gateway mounts it (`/api/ml`); '' for the gateway's own routes. */
  mount: string;
  doc: OpenApiDoc;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };
const PROBLEM_KEYS = Object.keys(ProblemSchema.properties).sort().join(',');
const { $id: _id, ...problemComponent } = JSON.parse(JSON.stringify(ProblemSchema)) as Record<
  string,
  unknown
>;

function isProblemSchema(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  const props = (value as { properties?: Record<string, unknown> }).properties;
  return !!props && Object.keys(props).sort().join(',') === PROBLEM_KEYS;
}

/** Error answers carry `application/problem+json` and point at the one Problem schema. */
function linkProblems(responses: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(responses)) {
    const content = (response as { content?: Record<string, { schema?: unknown }> }).content;
    const schema = content ? Object.values(content)[0]?.schema : undefined;
    out[status] = isProblemSchema(schema)
      ? {
          description: (response as { description?: string }).description ?? 'Problem details',
          content: { 'application/problem+json': { schema: PROBLEM_REF } },
        }
      : response;
  }
  return out;
}

function sortedObject<T>(entries: Iterable<[string, T]>): Record<string, T> {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * One OpenAPI document for the platform from each service's own: paths under the prefix the
 * gateway mounts them at, each operation tagged with its service, every problem answer as
 * `application/problem+json` referring to the one `Problem` component, and everything in a
 * fixed order (paths, methods, tags, schemas) so the same services give the same bytes.
 *
 * @example
 * mergeOpenApi({ title: 'opsmesh', version: '3', docs: [{ name: 'ml', mount: '/api/ml', doc }], unavailable: [] })
 * // { paths: { '/api/ml/models': { get: { tags: ['ml'], ... } } }, components: { schemas: { Problem, ... } } }
 */
export function mergeOpenApi(input: {
  title: string;
  version: string;
  description: string;
  docs: readonly MountedDoc[];
  unavailable: readonly string[];
}): OpenApiDoc {
  const paths = new Map<string, Record<string, unknown>>();
  const schemas = new Map<string, unknown>([['Problem', problemComponent]]);
  const tags = new Map<string, string>();
  for (const { name, mount, doc } of input.docs) {
    tags.set(name, `${doc.info?.title ?? name} ${doc.info?.version ?? ''}`.trim());
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      const operations: Record<string, unknown> = {};
      for (const method of METHODS) {
        const op = item[method] as Record<string, unknown> | undefined;
        if (!op) continue;
        const responses = op['responses'] as Record<string, unknown> | undefined;
        operations[method] = {
          ...op,
          tags: [name],
          ...(responses ? { responses: linkProblems(responses) } : {}),
        };
      }
      const full = mount + (path === '/' && mount ? '' : path);
      paths.set(full || '/', operations);
    }
    for (const [key, schema] of Object.entries(doc.components?.schemas ?? {})) {
      if (!schemas.has(key)) schemas.set(key, schema);
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: input.title, version: input.version, description: input.description },
    tags: [...tags]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, description]) => ({ name, description })),
    paths: sortedObject(paths),
    components: {
      schemas: sortedObject(schemas),
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      },
    },
    'x-opsmesh-unavailable': [...input.unavailable].sort(),
  };
}

/** Every operation of a document that has no summary, as `METHOD /path`. */
export function operationsWithoutSummary(doc: OpenApiDoc): string[] {
  const out: string[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method] as { summary?: string } | undefined;
      if (op && !op.summary) out.push(`${method.toUpperCase()} ${path}`);
    }
  }
  return out;
}
