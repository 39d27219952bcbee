import type { FastifyInstance } from 'fastify';
import { commonErrors } from '../errors/define-errors.js';

/**
 * Header fields the platform reads as one value to decide who is calling or where a request goes.
 * Node keeps the first of a repeated `Authorization` or `Host` and joins repeated `x-api-key`
 * values with ", ", so two of them were read as whichever came first or as a key no one holds.
 * RFC 9110 §5.3: a field defined as a single value must not be repeated; the request is refused.
 */
const SINGLETONS = new Map([
  ['authorization', 'Authorization'],
  ['host', 'Host'],
  ['x-api-key', 'X-API-Key'],
]);

/** The display name of the first singleton field `rawHeaders` holds more than once, or null. */
export function repeatedSingleton(rawHeaders: readonly string[]): string | null {
  const seen: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    // Only names of a singleton's length (4, 9, 13) are lowered: most fields are passed over
    // without a copy. bench/gateway/singleton-headers.ts measures it against lowering every name
    // (0.27 of that time for a typical request, loaded host).
    const n = name.length;
    if (n !== 4 && n !== 9 && n !== 13) continue;
    const lower = name.toLowerCase();
    if (!SINGLETONS.has(lower)) continue;
    if (seen.includes(lower)) return SINGLETONS.get(lower)!;
    seen.push(lower);
  }
  return null;
}

/** Refuses, before any route or credential check, a request that repeats a singleton field. */
export function installSingletonHeaderCheck(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const repeated = repeatedSingleton(request.raw.rawHeaders);
    if (repeated)
      throw commonErrors.BAD_REQUEST({
        message: `The ${repeated} header is sent more than once; send it once (RFC 9110 §5.3: it holds a single value).`,
      });
  });
}
