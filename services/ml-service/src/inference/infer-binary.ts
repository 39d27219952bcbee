import { invalidUtf8Offset } from '@opsmesh/shared';
import { NOT_PARSED, NumberOutOfRangeError, parseInferJson } from './infer-json.js';

/**
 * Reads a request of the V2 binary tensor data extension: the first `headerLength` bytes of the
 * body are the JSON inference request (the Inference-Header-Content-Length header gives the
 * length); the tensors whose `parameters.binary_data_size` is set follow it, back to back, in
 * the order of `inputs`. Each such input gets its bytes as `binary` (read per datatype later).
 */

export class BinaryRequestError extends Error {}

interface Input {
  name?: unknown;
  data?: unknown;
  parameters?: Record<string, unknown>;
  binary?: Uint8Array;
}

/**
 * @example
 * parseBinaryInferRequest(body, 97) // { inputs: [{ name: 'x', ..., binary: Uint8Array(16) }] }
 */
export function parseBinaryInferRequest(body: Buffer, headerLength: number): unknown {
  if (!Number.isSafeInteger(headerLength) || headerLength < 0 || headerLength > body.length) {
    throw new BinaryRequestError(
      `Inference-Header-Content-Length is ${headerLength}, but the body has ${body.length} bytes`,
    );
  }
  const head = body.subarray(0, headerLength);
  const bad = invalidUtf8Offset(head);
  if (bad !== null) {
    throw new BinaryRequestError(
      `the JSON part of the body is not valid UTF-8 (the first bad byte is at offset ${bad}); encode it as UTF-8`,
    );
  }
  let request: unknown;
  try {
    request = parseInferJson(head);
  } catch (err) {
    if (err instanceof NumberOutOfRangeError) throw new BinaryRequestError(err.message);
    throw err;
  }
  if (request === NOT_PARSED) {
    try {
      request = JSON.parse(head.toString('utf8'));
    } catch (err) {
      throw new BinaryRequestError(`the JSON part of the body is not valid JSON: ${(err as Error).message}`);
    }
  }
  if (request === null || typeof request !== 'object' || Array.isArray(request))
    throw new BinaryRequestError('the JSON part of the body must be an inference request object');
  const inputs = (request as { inputs?: unknown }).inputs;
  let pos = headerLength;
  for (const [i, input] of (Array.isArray(inputs) ? (inputs as Input[]) : []).entries()) {
    const size = input?.parameters?.['binary_data_size'];
    if (size === undefined) continue;
    const name = typeof input.name === 'string' ? `"${input.name}"` : String(i);
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
      throw new BinaryRequestError(`input ${name}: binary_data_size must be a non-negative integer`);
    if (input.data !== undefined)
      throw new BinaryRequestError(`input ${name} has both "data" and binary_data_size; send one of them`);
    if (pos + size > body.length) {
      throw new BinaryRequestError(
        `input ${name}: binary_data_size ${size} runs past the end of the body (${body.length - pos} bytes left)`,
      );
    }
    input.binary = body.subarray(pos, pos + size);
    pos += size;
  }
  if (pos !== body.length) {
    throw new BinaryRequestError(
      `${body.length - pos} bytes follow the JSON part that no input's binary_data_size accounts for`,
    );
  }
  return request;
}
