import type { FastifyInstance, FastifyRequest } from 'fastify';
import { commonErrors } from '../errors/define-errors.js';

/** The media type of a `content-type` header, lower-cased, without parameters. */
export function mediaType(header: string | undefined): string | undefined {
  const type = header?.split(';', 1)[0]?.trim().toLowerCase();
  return type || undefined;
}

/**
 * What a route takes: its schema's `consumes` (also what the OpenAPI document lists), else JSON
 * when it declares a body, else null (no check: the route reads no body).
 */
export function acceptedTypes(request: Pick<FastifyRequest, 'routeOptions'>): readonly string[] | null {
  const schema = request.routeOptions.schema as { consumes?: string[]; body?: unknown } | undefined;
  if (schema?.consumes?.length) return schema.consumes;
  return schema?.body ? ['application/json'] : null;
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return request.headers['transfer-encoding'] !== undefined;
}

/** Header text shown back only when it looks like a media type (it is caller text). */
function shown(type: string | undefined): string {
  if (!type) return 'none';
  return /^(application|audio|font|image|message|model|multipart|text|video)\/[a-z0-9!#$&^_.+-]{1,64}$/.test(
    type,
  )
    ? type
    : 'unrecognised';
}

/** The 415 for this request: the type it sent (when it looks like one) and what its route takes. */
export function unsupportedMediaType(request: Pick<FastifyRequest, 'routeOptions' | 'headers'>) {
  return commonErrors.UNSUPPORTED_MEDIA_TYPE({
    contentType: shown(mediaType(request.headers['content-type'])),
    accepted: [...(acceptedTypes(request) ?? ['application/json'])],
  });
}

/** Media types whose bodies are read as text, and so as UTF-8. */
function isText(type: string): boolean {
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/x-www-form-urlencoded' ||
    type === 'application/yaml' ||
    type === 'application/x-yaml' ||
    type.endsWith('+yaml')
  );
}

/** The `charset` parameter of a content type, lower-cased and unquoted; undefined without one. */
function charsetOf(header: string): string | undefined {
  for (const param of header.split(';').slice(1)) {
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    return param
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase();
  }
  return undefined;
}

/**
 * The 415 for a text body declared in a charset other than UTF-8 (`application/json;
 * charset=latin1`), or null. Every text body is read as UTF-8, so another charset would be
 * misread rather than converted. The name shown back is cut to what a charset name holds.
 *
 * @example
 * charsetProblem('application/json; charset=iso-8859-1') // UNSUPPORTED_CHARSET naming "iso-8859-1"
 * charsetProblem('application/json; charset=UTF-8') // null
 */
export function charsetProblem(header: string | undefined) {
  if (header === undefined || !header.includes(';')) return null;
  const type = mediaType(header);
  if (type === undefined || !isText(type)) return null;
  const charset = charsetOf(header);
  if (charset === undefined || charset === 'utf-8' || charset === 'utf8') return null;
  const shown = /^[a-z0-9._:+-]{1,40}$/.test(charset) ? charset : 'unrecognised';
  return commonErrors.UNSUPPORTED_CHARSET({ charset: shown });
}

/**
 * Whether the route decodes this `content-encoding` itself (its `config.contentEncodings`).
 * Nothing else decodes one: a gzip body would reach the JSON parser as bytes, a plain body
 * labelled gzip would be taken as it is, and a route that inflated without a bound would turn
 * one megabyte into a gigabyte. `identity` is no encoding at all.
 */
function acceptsEncoding(request: FastifyRequest, header: string): boolean {
  const codings = header
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0) return true;
  const accepted = request.routeOptions.config.contentEncodings;
  return codings.length === 1 && accepted !== undefined && accepted.includes(codings[0]!);
}

/**
 * Answers 415 naming the accepted types when a body comes with a content type its route does not
 * take, or compressed in a way the route does not decode (RFC 9110 §8.4.1), before the body is
 * read (and after the route's own `onRequest` authentication). Without
 * it, a form-encoded login reached the JSON schema as one field named after the whole body.
 */
export function installContentTypeCheck(app: FastifyInstance): void {
  app.addHook('preParsing', async (request, _reply, payload) => {
    if (!hasBody(request)) return payload;
    const encoding = request.headers['content-encoding'];
    if (encoding !== undefined && !acceptsEncoding(request, encoding)) {
      throw commonErrors.UNSUPPORTED_CONTENT_ENCODING({
        accepted: [...(request.routeOptions.config.contentEncodings ?? [])],
      });
    }
    const charset = charsetProblem(request.headers['content-type']);
    if (charset) throw charset;
    const accepted = acceptedTypes(request);
    if (!accepted || accepted.includes('*/*')) return payload;
    const type = mediaType(request.headers['content-type']);
    const ok =
      type !== undefined &&
      accepted.some((a) => a === type || (a.endsWith('/*') && type.startsWith(a.slice(0, -1))));
    if (!ok) throw unsupportedMediaType(request);
    return payload;
  });
}
