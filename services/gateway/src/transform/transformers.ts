import type { RequestTransformerConfig, ResponseTransformerConfig } from '../config/plugin-schemas.js';
import { type FieldOps, hasOps } from './field-ops.js';

/** A transformer config regrouped per kind of field, ready to apply on the hot path. */
export interface CompiledTransform {
  headers: FieldOps<string>;
  query: FieldOps<string>;
  body: FieldOps<unknown>;
  /** Whether JSON bodies must be buffered and rewritten; everything else streams. */
  touchesBody: boolean;
  touchesHeaders: boolean;
  touchesQuery: boolean;
}

/**
 * Regroups Kong-shaped config (operation → kind) into kind → operation.
 *
 * @example
 * compileTransform({ add: { headers: { 'x-env': 'prod' } }, remove: { body: ['secret'] } });
 */
export function compileTransform(
  config: RequestTransformerConfig | ResponseTransformerConfig,
): CompiledTransform {
  const pick = <K extends 'headers' | 'querystring' | 'body'>(kind: K) => ({
    remove: (config.remove as Record<string, string[] | undefined> | undefined)?.[kind],
    rename: (config.rename as Record<string, Record<string, string> | undefined> | undefined)?.[kind],
    replace: (config.replace as Record<string, Record<string, never> | undefined> | undefined)?.[kind],
    add: (config.add as Record<string, Record<string, never> | undefined> | undefined)?.[kind],
  });
  const headers = pick('headers');
  const query = pick('querystring');
  const body = pick('body');
  return {
    headers,
    query,
    body,
    touchesHeaders: hasOps(headers),
    touchesQuery: hasOps(query),
    touchesBody: hasOps(body),
  };
}
