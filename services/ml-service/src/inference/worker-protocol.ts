import type { EncodedResponse, OutputToSend, ResponseHead } from './infer-response.js';
import type { TensorMap } from './tensor.js';

/** Messages between the pool (main thread) and an inference worker. */

export interface SessionSettings {
  intraOpThreads: number;
  /** onnxruntime's threads spin-wait for work after a run (absent: they sleep). */
  spinning?: boolean;
}

/** Bounds on what one run may hand back; a run past them answers OUTPUT_TOO_LARGE. */
export interface RunLimits {
  maxElements: number;
  maxBytes: number;
}

/** An answer to write on a worker (large answers only; small ones are written in place). */
export interface EncodeJob {
  head: ResponseHead;
  outputs: OutputToSend[];
  maxBytes: number;
}

export type WorkerRequest =
  | { type: 'load'; id: number; key: string; model: Uint8Array; settings: SessionSettings }
  | { type: 'unload'; id: number; key: string }
  | { type: 'run'; id: number; key: string; feeds: TensorMap; limits?: RunLimits }
  | { type: 'encode'; id: number; job: EncodeJob }
  /** Blocks the worker for `ms`: lets tests prove the event loop stays free during long runs. */
  | { type: 'sleep'; id: number; ms: number };

export interface IoMetadata {
  name: string;
  type: string;
  shape: (number | string)[];
}

/** Why a task failed, when the caller acts on the kind of failure. */
export type WorkerErrorCode = 'OUTPUT_TOO_LARGE' | 'SHAPE_MISMATCH';

export interface OutputSizeInfo {
  outputs: { name: string; shape: number[] }[];
  elements: number;
  bytes: number;
}

export type WorkerResponse =
  | {
      id: number;
      ok: true;
      outputs?: TensorMap;
      inputs?: IoMetadata[];
      outputsMeta?: IoMetadata[];
      runMs?: number;
      encoded?: EncodedResponse;
    }
  | { id: number; ok: false; error: string; code?: WorkerErrorCode; size?: OutputSizeInfo };
