import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { isMap, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { type GatewayConfig, GatewayConfigSchema, type PluginEntry } from './gateway-config-schema.js';
import { PLUGIN_NAMES, PLUGIN_SCHEMAS } from './plugin-schemas.js';

/** One problem in a config file, located by line and by field path. */
export interface ConfigIssue {
  line: number;
  column: number;
  /** Dotted field path such as `services[0].routes[1].paths`. */
  path: string;
  message: string;
}

export class GatewayConfigError extends Error {
  constructor(
    readonly source: string,
    readonly issues: ConfigIssue[],
  ) {
    super(
      `invalid gateway config ${source}:\n` +
        issues.map((i) => `  ${source}:${i.line}:${i.column} ${i.path || '(root)'}: ${i.message}`).join('\n'),
    );
    this.name = 'GatewayConfigError';
  }
}

type Segment = string | number;

function pointerToSegments(pointer: string): Segment[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function formatPath(segments: Segment[]): string {
  let out = '';
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : out ? `.${s}` : s;
  return out;
}

/**
 * Parses and validates the declarative gateway config, filling defaults.
 * Every problem found is reported at once, each with its line and field path.
 *
 * @example
 * const config = parseGatewayConfig(readFileSync('config/gateway.yaml', 'utf8'), 'gateway.yaml');
 */
export function parseGatewayConfig(text: string, source = 'gateway.yaml'): GatewayConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new GatewayConfigError(
      source,
      doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { line: pos.line, column: pos.col, path: '', message: e.message.split('\n')[0] ?? e.message };
      }),
    );
  }

  // Finds the closest node that exists for a path, so a missing field points at its parent.
  const locate = (segments: Segment[]): { line: number; column: number } => {
    for (let n = segments.length; n >= 0; n--) {
      const node = (n === 0 ? doc.contents : doc.getIn(segments.slice(0, n), true)) as
        | Node
        | null
        | undefined;
      if (node && typeof node === 'object' && 'range' in node && node.range) {
        const pos = lineCounter.linePos(node.range[0]);
        return { line: pos.line, column: pos.col };
      }
      // A key whose value is empty still has a position on its pair.
      const parent = n > 0 ? (doc.getIn(segments.slice(0, n - 1), true) as Node | undefined) : undefined;
      if (n > 0 && parent && isMap(parent)) {
        const pair = parent.items.find((p) => (p.key as { value?: unknown })?.value === segments[n - 1]);
        const key = pair?.key as Node | undefined;
        if (key?.range) {
          const pos = lineCounter.linePos(key.range[0]);
          return { line: pos.line, column: pos.col };
        }
      }
      if (n > 0 && parent && isSeq(parent) && parent.range) {
        const pos = lineCounter.linePos(parent.range[0]);
        return { line: pos.line, column: pos.col };
      }
    }
    return { line: 1, column: 1 };
  };

  const issues: ConfigIssue[] = [];
  const report = (segments: Segment[], message: string) => {
    issues.push({ ...locate(segments), path: formatPath(segments), message });
  };
  const check = (schema: TSchema, value: unknown, base: Segment[]): unknown => {
    const filled = Value.Default(schema, Value.Clone(value));
    const seen = new Set<string>();
    for (const e of Value.Errors(schema, filled)) {
      const segments = [...base, ...pointerToSegments(e.path)];
      const key = formatPath(segments);
      if (seen.has(key)) continue; // one message per field keeps the report readable
      seen.add(key);
      const last = segments[segments.length - 1];
      const message =
        last === 'name' && String(e.message).startsWith('Expected union')
          ? `unknown plugin; expected one of ${PLUGIN_NAMES.join(', ')}`
          : e.message;
      report(segments, message);
    }
    return filled;
  };

  const raw = doc.toJS() ?? {};
  const config = check(GatewayConfigSchema, raw, []) as GatewayConfig;
  if (issues.length > 0) throw new GatewayConfigError(source, issues);

  const checkPlugins = (plugins: PluginEntry[], base: Segment[]) => {
    const names = new Set<string>();
    plugins.forEach((p, i) => {
      if (names.has(p.name)) report([...base, i, 'name'], `plugin ${p.name} is listed twice`);
      names.add(p.name);
      p.config = check(PLUGIN_SCHEMAS[p.name], p.config, [...base, i, 'config']) as Record<string, unknown>;
    });
  };
  checkPlugins(config.plugins, ['plugins']);
  const serviceNames = new Set<string>();
  const routeNames = new Set<string>();
  config.services.forEach((service, s) => {
    if (serviceNames.has(service.name))
      report(['services', s, 'name'], `service ${service.name} is defined twice`);
    serviceNames.add(service.name);
    checkPlugins(service.plugins, ['services', s, 'plugins']);
    service.routes.forEach((route, r) => {
      const at: Segment[] = ['services', s, 'routes', r];
      if (routeNames.has(route.name)) report([...at, 'name'], `route ${route.name} is defined twice`);
      routeNames.add(route.name);
      const strip = route.strip_path;
      if (typeof strip === 'string') {
        route.paths.forEach((p, i) => {
          if (!p.startsWith(strip)) report([...at, 'paths', i], `does not start with strip_path ${strip}`);
        });
      }
      checkPlugins(route.plugins, [...at, 'plugins']);
    });
  });
  if (issues.length > 0) throw new GatewayConfigError(source, issues);
  return config;
}
