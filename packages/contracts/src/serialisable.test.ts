import { describe, expect, it } from 'vitest';
import * as contracts from './index.js';

/**
 * Response schemas are compiled by Fastify's serialiser (fast-json-stringify), which refuses
 * every value of an `anyOf`/`oneOf` placed among a tuple's items: the route then answers 500
 * whenever it has something to say (GET /series did, on every match). No contract may hold
 * that shape; use a JSON Schema type list (`{ type: ['number', 'null'] }`) instead.
 */
function tupleUnions(schema: unknown, path: string, out: string[], seen = new Set<unknown>()): void {
  if (schema === null || typeof schema !== 'object' || seen.has(schema)) return;
  seen.add(schema);
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s['items'])) {
    s['items'].forEach((item, i) => {
      const it = item as Record<string, unknown>;
      if (it['anyOf'] || it['oneOf']) out.push(`${path}.items[${i}]`);
    });
  }
  for (const [key, value] of Object.entries(s)) {
    if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) tupleUnions(v, `${path}.${key}[${i}]`, out, seen);
    } else tupleUnions(value, `${path}.${key}`, out, seen);
  }
}

describe('contracts', () => {
  it('hold no union inside a tuple, which the response serialiser cannot render', () => {
    const found: string[] = [];
    for (const [name, value] of Object.entries(contracts))
      if (name.endsWith('Schema')) tupleUnions(value, name, found);
    expect(found).toEqual([]);
  });

  it('the check finds the shape it is about', () => {
    const found: string[] = [];
    tupleUnions({ type: 'array', items: [{ type: 'number' }, { anyOf: [{ type: 'null' }] }] }, 'x', found);
    expect(found).toEqual(['x.items[1]']);
  });
});
