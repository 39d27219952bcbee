import { readFile } from 'node:fs/promises';
import type { GatewayConfig } from './gateway-config-schema.js';
import { type GatewayConfigError, parseGatewayConfig } from './load-gateway-config.js';

export type ReloadResult = { ok: true; version: number } | { ok: false; error: GatewayConfigError | Error };

export interface LiveConfigOptions {
  path: string;
  onReload?: (result: ReloadResult) => void;
  read?: (path: string) => Promise<string>;
}

/**
 * Holds the config in force. A reload parses the file again and swaps it in only when it is
 * valid, so a bad file never replaces a good config; in-flight requests keep the snapshot
 * they started with because consumers read `current` once per request.
 */
export class LiveConfig<T = GatewayConfig> {
  #current: T;
  #version = 1;
  #listeners: ((config: T, version: number) => void)[] = [];

  /** Starts from an already built first snapshot; `build` makes the next ones on reload. */
  constructor(
    private readonly options: LiveConfigOptions,
    private readonly build: (config: GatewayConfig) => T | Promise<T>,
    initial: T,
  ) {
    this.#current = initial;
  }

  /** Loads the file once; throws a GatewayConfigError when it is invalid. */
  static async load<T>(
    options: LiveConfigOptions,
    build: (config: GatewayConfig) => T | Promise<T>,
  ): Promise<LiveConfig<T>> {
    const read = options.read ?? ((p: string) => readFile(p, 'utf8'));
    const config = parseGatewayConfig(await read(options.path), options.path);
    return new LiveConfig(options, build, await build(config));
  }

  get current(): T {
    return this.#current;
  }

  get version(): number {
    return this.#version;
  }

  onChange(listener: (config: T, version: number) => void): void {
    this.#listeners.push(listener);
  }

  async reload(): Promise<ReloadResult> {
    const read = this.options.read ?? ((p: string) => readFile(p, 'utf8'));
    let result: ReloadResult;
    try {
      const next = await this.build(parseGatewayConfig(await read(this.options.path), this.options.path));
      this.#current = next;
      this.#version++;
      for (const listener of this.#listeners) listener(next, this.#version);
      result = { ok: true, version: this.#version };
    } catch (err) {
      result = { ok: false, error: err instanceof Error ? err : new Error(String(err)) };
    }
    this.options.onReload?.(result);
    return result;
  }
}
