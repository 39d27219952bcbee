import { type Labels, parseLabelBlock, seriesKey } from './labels.js';
import { parseSampleValue, scanText, TextFormatError } from './text-scanner.js';

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface ParsedSample {
  name: string;
  labels: Labels;
  value: number;
  timestampMs?: number;
}

export interface MetricFamily {
  name: string;
  type: MetricType;
  help?: string;
  samples: ParsedSample[];
}

const TYPES = new Set<string>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

interface FamilyState extends MetricFamily {
  typeLine?: number;
}

function familyOf(families: Map<string, FamilyState>, name: string): [FamilyState | undefined, string] {
  const own = families.get(name);
  if (own && own.type !== 'histogram' && own.type !== 'summary') return [own, ''];
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!name.endsWith(suffix)) continue;
    const base = families.get(name.slice(0, -suffix.length));
    if (!base) continue;
    if (base.type === 'histogram') return [base, suffix];
    if (base.type === 'summary' && suffix !== '_bucket') return [base, suffix];
  }
  return [own, ''];
}

/**
 * Parses a whole exposition into metric families, checking the format strictly:
 * one TYPE and one HELP per family, TYPE before the family's samples, `le` on every
 * histogram bucket, `quantile` on summary quantiles, no repeated label, no repeated series.
 *
 * @example
 * parsePrometheusText('# TYPE up gauge\nup{job="a"} 1')[0].samples[0].value // 1
 */
export function parsePrometheusText(text: string): MetricFamily[] {
  const families = new Map<string, FamilyState>();
  const seen = new Set<string>();
  const create = (name: string): FamilyState => {
    const family: FamilyState = { name, type: 'untyped', samples: [] };
    families.set(name, family);
    return family;
  };
  scanText(text, {
    help(name, helpText, line) {
      const family = families.get(name) ?? create(name);
      if (family.help !== undefined) throw new TextFormatError(line, `second HELP line for "${name}"`);
      family.help = helpText;
    },
    type(name, type, line) {
      if (!TYPES.has(type)) throw new TextFormatError(line, `unknown type "${type}" for "${name}"`);
      const family = families.get(name) ?? create(name);
      if (family.typeLine !== undefined) throw new TextFormatError(line, `second TYPE line for "${name}"`);
      if (family.samples.length > 0) {
        throw new TextFormatError(line, `TYPE line for "${name}" comes after its samples`);
      }
      family.type = type as MetricType;
      family.typeLine = line;
    },
    sample(name, _series, labelBlock, value, timestampMs, line) {
      const labels = parseLabelBlock(labelBlock, line);
      const [found, suffix] = familyOf(families, name);
      const family = found ?? create(name);
      if (family.type === 'histogram' && suffix === '_bucket') {
        const le = labels['le'];
        if (le === undefined) throw new TextFormatError(line, `histogram bucket "${name}" has no "le" label`);
        if (parseSampleValue(le) === undefined) {
          throw new TextFormatError(line, `histogram bucket "${name}" has an invalid le="${le}"`);
        }
      }
      if (family.type === 'histogram' && suffix === '') {
        throw new TextFormatError(line, `histogram "${name}" needs a _bucket, _sum or _count suffix`);
      }
      if (family.type === 'summary' && suffix === '') {
        const q = labels['quantile'];
        if (q === undefined)
          throw new TextFormatError(line, `summary "${name}" sample has no "quantile" label`);
        if (parseSampleValue(q) === undefined) {
          throw new TextFormatError(line, `summary "${name}" has an invalid quantile="${q}"`);
        }
      }
      const key = seriesKey(name, labels);
      if (seen.has(key)) throw new TextFormatError(line, `duplicate series ${key}`);
      seen.add(key);
      const sample: ParsedSample = { name, labels, value };
      if (timestampMs !== undefined) sample.timestampMs = timestampMs;
      family.samples.push(sample);
    },
  });
  return [...families.values()].map(({ typeLine: _t, ...family }) => family);
}
