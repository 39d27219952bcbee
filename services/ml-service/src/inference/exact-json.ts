/**
 * JSON text for answers that may hold BigInt and non-finite numbers: a BigInt is written as
 * its exact integer literal, NaN and ±Infinity as the strings "NaN", "Infinity", "-Infinity"
 * (the same conventions as V2 answers, see infer-response.ts). Otherwise as JSON.stringify.
 *
 * @example
 * stringifyExact({ id: 2n ** 63n - 1n, score: Number.NaN }) // '{"id":9223372036854775807,"score":"NaN"}'
 */
export function stringifyExact(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'number':
      if (Number.isFinite(value)) return String(value);
      return Number.isNaN(value) ? '"NaN"' : value > 0 ? '"Infinity"' : '"-Infinity"';
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value))
        return `[${value.map((v) => (v === undefined ? 'null' : stringifyExact(v))).join(',')}]`;
      const parts: string[] = [];
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (v !== undefined && typeof v !== 'function')
          parts.push(`${JSON.stringify(k)}:${stringifyExact(v)}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      return 'null';
  }
}
