import { commonErrors, invalidUtf8Offset, jsonBodyParser, type ServiceApp } from '@opsmesh/shared';
import type { FastifyRequest } from 'fastify';
import { NOT_PARSED, NumberOutOfRangeError, parseInferJson } from '../inference/infer-json.js';

/**
 * Installs, in the calling plugin's scope, the JSON body parser of inference routes: tensor data
 * straight into typed storage, INT64 exact, NaN and Infinity read (see infer-json.ts). Any body
 * that parser does not take goes to the stock parser, so errors and limits stay the server's own.
 * `other` sees the raw body first and may take it (the V2 binary data extension).
 */
export function useInferJsonParser(
  app: ServiceApp,
  other?: (request: FastifyRequest, body: Buffer) => { body: unknown } | undefined,
): void {
  const stockJson = jsonBodyParser(
    app.getDefaultJsonParser(
      app.initialConfig.onProtoPoisoning ?? 'error',
      app.initialConfig.onConstructorPoisoning ?? 'error',
    ),
  );
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser<Buffer>('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const taken = other?.(request, body);
    if (taken) return done(null, taken.body);
    // A body that is not UTF-8 goes to the stock parser too, which refuses it with the offset.
    let parsed: unknown;
    try {
      parsed = invalidUtf8Offset(body) === null ? parseInferJson(body) : NOT_PARSED;
    } catch (err) {
      if (!(err instanceof NumberOutOfRangeError)) throw err;
      done(commonErrors.BAD_REQUEST({ message: err.message }), undefined);
      return;
    }
    if (parsed === NOT_PARSED) stockJson(request, body, done);
    else done(null, parsed);
  });
}
