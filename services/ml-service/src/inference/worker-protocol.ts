import type { TensorMap } from './tensor.js';

/** Messages between the pool (main thread) and an inference worker. */

export interface SessionSettings {
  intraOpThreads: number;
}

export type WorkerRequest =
  | { type: 'load'; id: number; key: string; model: Uint8Array; settings: SessionSettings }
  | { type: 'unload'; id: number; key: string }
  | { type: 'run'; id: number; key: string; feeds: TensorMap }
  /** Blocks the worker for `ms`: lets tests prove the event loop stays free during long runs. */
  | { type: 'sleep'; id: number; ms: number };

export interface IoMetadata {
  name: string;
  type: string;
  shape: (number | string)[];
}

export type WorkerResponse =
  | {
      id: number;
      ok: true;
      outputs?: TensorMap;
      inputs?: IoMetadata[];
      outputsMeta?: IoMetadata[];
      runMs?: number;
    }
  | { id: number; ok: false; error: string };
