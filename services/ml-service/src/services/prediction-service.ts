import { isAppError } from '@opsmesh/shared';
import { mlErrors } from '../errors.js';
import { OverloadError } from '../inference/micro-batcher.js';
import type { PlainTensor, TensorMap } from '../inference/tensor.js';
import {
  decodeInput,
  encodeOutput,
  type RequestTensor,
  type ResponseTensor,
  TensorValidationError,
} from '../inference/tensor-codec.js';
import type { PredictionLogRepository } from '../models/prediction.js';
import { supportsBatching } from '../onnx/signature-reader.js';
import type { MlMetrics } from './ml-metrics.js';
import type { ModelLoader } from './model-loader.js';
import type { ModelRef } from './model-ref.js';
import { instancesToTensor, shapePredictions } from './predict-shapes.js';
import type { RegistryService, Resolved } from './registry-service.js';

/**
 * Runs predictions: resolves the version, validates inputs against its signature, sends
 * them through the loader (worker pool + micro-batcher), encodes the outputs, and records
 * metrics and a sampled prediction log.
 */

export interface InferRequest {
  id?: string;
  parameters?: Record<string, unknown>;
  inputs: RequestTensor[];
  outputs?: { name: string; parameters?: Record<string, unknown> }[];
}

export interface InferResponse {
  model_name: string;
  model_version: string;
  id?: string;
  parameters?: Record<string, unknown>;
  outputs: ResponseTensor[];
}

export interface CallContext {
  caller: string;
  requestId: string;
}

export interface PredictionDeps {
  registry: RegistryService;
  loader: ModelLoader;
  log: PredictionLogRepository;
  metrics: MlMetrics;
  maxRows: number;
  /** Log every Nth prediction; 0 turns the log off. */
  sampleEvery: number;
  logger: { warn: (o: object, m: string) => void };
}

function summarize(feeds: TensorMap) {
  return Object.entries(feeds).map(([name, t]) => {
    const values = Array.isArray(t.data) ? [] : Array.from(t.data as Float32Array, Number);
    const finite = values.filter(Number.isFinite);
    return {
      name,
      type: t.type,
      shape: t.dims,
      min: finite.length ? Math.min(...finite.slice(0, 100_000)) : null,
      max: finite.length ? Math.max(...finite.slice(0, 100_000)) : null,
      mean: finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : null,
      head: values.slice(0, 16),
    };
  });
}

const truncate = (outputs: ResponseTensor[]) =>
  outputs.map((o) => ({ ...o, data: o.data.slice(0, 1000), truncated: o.data.length > 1000 }));

export function createPredictionService(deps: PredictionDeps) {
  let counter = 0;
  const pendingLogs = new Set<Promise<void>>();

  /** Decodes and validates, counting refusals as `invalid` in the per-model metrics. */
  function decodeAll(
    resolved: Resolved,
    inputs: RequestTensor[],
    endpoint: string,
  ): { feeds: TensorMap; rows: number } {
    try {
      return decodeChecked(resolved, inputs);
    } catch (err) {
      deps.metrics.requests.inc({
        model: resolved.model.name,
        version: String(resolved.version.version),
        endpoint,
        outcome: 'invalid',
      });
      throw err;
    }
  }

  function decodeChecked(resolved: Resolved, inputs: RequestTensor[]): { feeds: TensorMap; rows: number } {
    const sig = resolved.version.inputs;
    if (!Array.isArray(inputs) || inputs.length === 0) {
      throw mlErrors.ML_INVALID_INPUT({
        message: `no inputs given; the model takes ${sig.map((s) => `"${s.name}"`).join(', ')}`,
      });
    }
    const feeds: TensorMap = {};
    for (const input of inputs) {
      const s = sig.find((x) => x.name === input.name);
      if (!s) {
        throw mlErrors.ML_INVALID_INPUT({
          message: `unknown input "${input.name}"; the model takes ${sig.map((x) => `"${x.name}"`).join(', ')}`,
        });
      }
      if (feeds[input.name])
        throw mlErrors.ML_INVALID_INPUT({ message: `input "${input.name}" is given twice` });
      try {
        feeds[input.name] = decodeInput(input, s, { maxRows: deps.maxRows });
      } catch (err) {
        if (err instanceof TensorValidationError) throw mlErrors.ML_INVALID_INPUT({ message: err.message });
        throw err;
      }
    }
    const missing = sig.filter((s) => !feeds[s.name]);
    if (missing.length > 0) {
      throw mlErrors.ML_INVALID_INPUT({
        message: `missing input ${missing.map((m) => `"${m.name}"`).join(', ')}`,
      });
    }
    const firstDims = Object.values(feeds).map((t) => t.dims[0] ?? 1);
    if (supportsBatching(resolved.version) && new Set(firstDims).size > 1) {
      throw mlErrors.ML_INVALID_INPUT({
        message: `inputs disagree on the batch dimension (${firstDims.join(' vs ')})`,
      });
    }
    return { feeds, rows: firstDims[0] ?? 1 };
  }

  async function run(
    resolved: Resolved,
    feeds: TensorMap,
    rows: number,
    endpoint: string,
  ): Promise<TensorMap> {
    const labels = { model: resolved.model.name, version: String(resolved.version.version), endpoint };
    try {
      const out = await deps.loader.infer(resolved.loadable, feeds, rows);
      deps.metrics.requests.inc({ ...labels, outcome: 'ok' });
      return out;
    } catch (err) {
      if (err instanceof OverloadError) {
        deps.metrics.requests.inc({ ...labels, outcome: 'overloaded' });
        const retryAfter = err.retryAfterSeconds;
        throw mlErrors.ML_OVERLOADED(
          { name: resolved.model.name, retryAfter },
          { headers: { 'retry-after': String(retryAfter) } },
        );
      }
      deps.metrics.requests.inc({ ...labels, outcome: 'failed' });
      // A model that cannot be read or loaded is the service's failure (5xx), not the caller's.
      if (isAppError(err)) throw err;
      throw mlErrors.ML_INFERENCE_REJECTED({ message: (err as Error).message });
    }
  }

  /** Summarises the inputs of every Nth request, before the run hands their buffers to a worker. */
  function sample(feeds: TensorMap): ReturnType<typeof summarize> | null {
    if (deps.sampleEvery <= 0 || ++counter % deps.sampleEvery !== 0) return null;
    return summarize(feeds);
  }

  function record(
    resolved: Resolved,
    endpoint: string,
    ctx: CallContext,
    inputSummary: ReturnType<typeof summarize> | null,
    rows: number,
    outputs: ResponseTensor[],
    startedAt: number,
  ) {
    const latencyMs = performance.now() - startedAt;
    deps.metrics.latency.observe({ model: resolved.model.name, endpoint }, latencyMs / 1000);
    if (!inputSummary) return;
    // Written after the answer is sent: the log must never slow or fail a prediction.
    const p = deps.log
      .insert(resolved.model.id, {
        model: resolved.model.name,
        version: resolved.version.version,
        endpoint,
        caller: ctx.caller,
        requestId: ctx.requestId,
        latencyMs,
        rows,
        inputSummary,
        outputs: truncate(outputs),
      })
      .catch((err: Error) => deps.logger.warn({ err: err.message }, 'prediction log write failed'))
      .finally(() => pendingLogs.delete(p));
    pendingLogs.add(p);
  }

  return {
    async infer(ref: ModelRef, body: InferRequest, ctx: CallContext): Promise<InferResponse> {
      const startedAt = performance.now();
      const resolved = await deps.registry.resolve(ref);
      const { feeds, rows } = decodeAll(resolved, body.inputs, 'v2');
      const wanted = body.outputs?.map((o) => o.name);
      for (const name of wanted ?? []) {
        if (!resolved.version.outputs.some((o) => o.name === name)) {
          throw mlErrors.ML_INVALID_INPUT({
            message: `unknown output "${name}"; the model gives ${resolved.version.outputs.map((o) => `"${o.name}"`).join(', ')}`,
          });
        }
      }
      const summary = sample(feeds);
      const out = await run(resolved, feeds, rows, 'v2');
      const outputs = resolved.version.outputs
        .filter((o) => !wanted || wanted.includes(o.name))
        .filter((o) => out[o.name])
        .map((o) => encodeOutput(o.name, out[o.name] as PlainTensor));
      record(resolved, 'v2', ctx, summary, rows, outputs, startedAt);
      const res: InferResponse = {
        model_name: resolved.model.name,
        model_version: String(resolved.version.version),
        outputs,
      };
      if (body.id !== undefined) res.id = body.id;
      return res;
    },

    async predict(ref: ModelRef, instances: unknown, ctx: CallContext) {
      const startedAt = performance.now();
      const resolved = await deps.registry.resolve(ref);
      const tensor = instancesToTensor(resolved, instances);
      const { feeds, rows } = decodeAll(resolved, [tensor], 'predict');
      const summary = sample(feeds);
      const out = await run(resolved, feeds, rows, 'predict');
      const outputs = resolved.version.outputs
        .filter((o) => out[o.name])
        .map((o) => encodeOutput(o.name, out[o.name] as PlainTensor));
      record(resolved, 'predict', ctx, summary, rows, outputs, startedAt);
      return shapePredictions(resolved, outputs, rows);
    },

    /** Waits for prediction-log writes still in flight (shutdown, tests). */
    async flush() {
      await Promise.all([...pendingLogs]);
    },
  };
}

export type PredictionService = ReturnType<typeof createPredictionService>;
