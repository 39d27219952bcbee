import { defineErrors } from '@opsmesh/shared';
import { redactPaths } from './redact-paths.js';

/**
 * The ML service's one error catalogue. Codes are stable: never reuse a retired one. Text that
 * comes from elsewhere (the runtime, the file system) goes through redactPaths, so no answer
 * names a path on the server.
 */
export const mlErrors = defineErrors({
  ML_MODEL_NOT_FOUND: {
    status: 404,
    title: 'Model not found',
    detail: (p: { name: string }) => `No model named "${p.name}"; GET /models lists them.`,
  },
  ML_VERSION_NOT_FOUND: {
    status: 404,
    title: 'Model version not found',
    detail: (p: { name: string; version: number | string }) =>
      `Model "${p.name}" has no version ${p.version}; GET /models/${p.name}/versions lists them.`,
  },
  ML_TOO_MANY_VERSIONS: {
    status: 409,
    title: 'Too many versions',
    detail: (p: { name: string; max: number }) =>
      `Model "${p.name}" holds ${p.max} versions, the most one model may hold (ML_MAX_VERSIONS_PER_MODEL); delete versions no alias points at (DELETE /models/${p.name}/versions/{version}) and upload again.`,
  },
  ML_TOO_MANY_ALIASES: {
    status: 409,
    title: 'Too many aliases',
    detail: (p: { name: string; max: number }) =>
      `Model "${p.name}" holds ${p.max} aliases, the most one model may hold (ML_MAX_ALIASES_PER_MODEL); delete one (DELETE /models/${p.name}/aliases/{alias}) or move an existing alias instead.`,
  },
  ML_ALIAS_NOT_FOUND: {
    status: 404,
    title: 'Alias not found',
    detail: (p: { name: string; alias: string }) => `Model "${p.name}" has no alias "${p.alias}".`,
  },
  ML_NO_VERSIONS: {
    status: 409,
    title: 'Model has no versions',
    detail: (p: { name: string }) =>
      `Model "${p.name}" has no version yet; upload one to POST /models/${p.name}/versions.`,
  },
  ML_MODEL_EXISTS: {
    status: 409,
    title: 'Model already exists',
    detail: (p: { name: string }) => `A model named "${p.name}" already exists.`,
  },
  ML_VERSION_IN_USE: {
    status: 409,
    title: 'Version in use',
    detail: (p: { name: string; version: number; aliases: string[] }) =>
      `Version ${p.version} of "${p.name}" is what alias ${p.aliases.map((a) => `"${a}"`).join(', ')} points at; move the alias first.`,
  },
  ML_MODEL_IN_USE: {
    status: 409,
    title: 'Model in use',
    detail: (p: { name: string; aliases: string[] }) =>
      `Model "${p.name}" still has aliases (${p.aliases.join(', ')}); delete them first.`,
  },
  ML_NOTHING_TO_ROLL_BACK: {
    status: 409,
    title: 'Nothing to roll back',
    detail: (p: { name: string; alias: string }) =>
      `Alias "${p.alias}" of "${p.name}" has no earlier version to return to.`,
  },
  ML_INVALID_MODEL: {
    status: 422,
    title: 'Not a loadable ONNX model',
    detail: (p: { reason: string }) => `The upload is not a loadable ONNX model: ${redactPaths(p.reason)}`,
  },
  ML_NOT_ONNX_MODEL: {
    status: 422,
    title: 'Not an ONNX model',
    detail: (p: { looksLike: string | undefined }) =>
      `The upload is not an ONNX model${p.looksLike ? `; it looks like ${p.looksLike}` : ''}. Upload a .onnx file exported from your framework: torch.onnx.export (PyTorch), skl2onnx (scikit-learn), tf2onnx (TensorFlow/Keras) or onnxmltools (XGBoost, LightGBM, CatBoost). What the parser read is in "errors".`,
  },
  ML_EXTERNAL_DATA: {
    status: 422,
    title: 'Model refers to external data',
    detail: (p: { where: string }) =>
      `The ${p.where} keeps its data in a separate file, which the service does not read; save the model with every tensor inside the .onnx file (in Python: onnx.save_model(model, path, save_as_external_data=False)).`,
  },
  ML_EMPTY_UPLOAD: {
    status: 400,
    title: 'Empty upload',
    detail: (_: Record<string, never>) =>
      'No model bytes received: send the .onnx file as an application/octet-stream body or as multipart field "file".',
  },
  ML_MALFORMED_UPLOAD: {
    status: 400,
    title: 'Malformed upload',
    detail: (p: { reason: string }) =>
      `The multipart body could not be read (${redactPaths(p.reason)}); send the model as field "file".`,
  },
  ML_UPLOAD_TOO_LARGE: {
    status: 413,
    title: 'Model too large',
    detail: (p: { limit: number }) => `The model exceeds the upload limit of ${p.limit} bytes.`,
  },
  /** Retired: the kit's UNSUPPORTED_MEDIA_TYPE answers from the route's `consumes`. Never reuse. */
  ML_UNSUPPORTED_UPLOAD: {
    status: 415,
    title: 'Unsupported upload type',
    detail: (p: { contentType: string }) =>
      `Content type "${p.contentType}" is not accepted for uploads; use application/octet-stream or multipart/form-data.`,
  },
  ML_UNSUPPORTED_BODY: {
    status: 415,
    title: 'Unsupported request body',
    detail: (p: { contentType: string }) =>
      `Content type "${p.contentType}" is not accepted here; send application/json, or binary tensor data with an Inference-Header-Content-Length header.`,
  },
  ML_INVALID_INPUT: {
    status: 400,
    title: 'Invalid inference input',
    detail: (p: { message: string }) => p.message,
  },
  // Retired: /predict serves every model now. Kept so the code is never given another meaning.
  ML_PREDICT_UNSUPPORTED: {
    status: 400,
    title: 'Model not usable with /predict',
    detail: (p: { name: string; reason: string }) =>
      `/predict cannot serve "${p.name}": ${p.reason}; use POST /v2/models/${p.name}/infer instead.`,
  },
  ML_INFERENCE_REJECTED: {
    status: 422,
    title: 'Inference rejected by the runtime',
    detail: (p: { message: string }) => `The runtime refused these inputs: ${redactPaths(p.message)}`,
  },
  ML_OUTPUT_TOO_LARGE: {
    status: 422,
    title: 'Answer too large',
    detail: (p: { name: string; version: number; what: string; limit: string; setting: string }) =>
      `The answer of "${p.name}" version ${p.version} would hold ${p.what}, over its limit of ${p.limit}; ask for fewer rows or outputs, use the binary data extension, or raise the limit with PATCH /models/${p.name}/versions/${p.version} {"limits":{"${p.setting}":...}}.`,
  },
  ML_RUN_TIMEOUT: {
    status: 422,
    title: 'Inference took too long',
    detail: (p: { name: string; version: number; timeoutMs: number }) =>
      `The run of "${p.name}" version ${p.version} did not finish within ${p.timeoutMs} ms and was stopped; send fewer rows, or raise the limit with PATCH /models/${p.name}/versions/${p.version} {"limits":{"timeoutMs":...}}.`,
  },
  ML_WORKER_RESTARTED: {
    status: 503,
    title: 'Inference worker restarted',
    detail: (p: { name: string }) =>
      `An inference worker was replaced while this request for "${p.name}" waited on it; retry.`,
  },
  ML_ARTIFACT_UNAVAILABLE: {
    status: 503,
    title: 'Model file unavailable',
    detail: (p: { sha256: string }) =>
      `The model file ${p.sha256.slice(0, 12)}… cannot be read from the model store right now; retry shortly.`,
  },
  ML_MODEL_LOAD_FAILED: {
    status: 503,
    title: 'Model could not be loaded',
    detail: (p: { name: string; version: number }) =>
      `Version ${p.version} of "${p.name}" could not be loaded on this replica; retry shortly.`,
  },
  ML_OVERLOADED: {
    status: 503,
    title: 'Inference queue full',
    detail: (p: { name: string; retryAfter: number }) =>
      `Model "${p.name}" has more work queued than it can take; retry in ${p.retryAfter} s.`,
  },
});

export type MlErrors = typeof mlErrors;
