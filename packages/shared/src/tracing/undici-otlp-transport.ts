import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { diag } from '@opentelemetry/api';
import type { ExportResponse, IExporterTransport } from '@opentelemetry/otlp-exporter-base';
import type { Pool } from 'undici';

const gzip = promisify(gzipCallback);

/** What an OTLP/HTTP export needs to send: the SDK's merged configuration (options, then `OTEL_EXPORTER_OTLP_*`). */
export interface OtlpSendConfiguration {
  url: string;
  headers: () => Promise<Record<string, string>>;
  compression: 'gzip' | 'none';
  userAgent?: string;
}

/** The most of a collector's answer read, as the SDK's transport reads it (4 MiB). */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** A `Retry-After` header as milliseconds (seconds or an HTTP date), as the SDK reads it. */
function retryAfterMs(value: string | string[] | undefined): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw == null) return undefined;
  const seconds = Number.parseInt(raw, 10);
  if (Number.isInteger(seconds)) return seconds > 0 ? seconds * 1000 : -1;
  const delay = new Date(raw).getTime() - Date.now();
  return Math.max(delay || 0, 0); // an unreadable date (NaN) retries at once, as the SDK does
}

/** A TLS file named by a signal-specific or general `OTEL_EXPORTER_OTLP_*` variable, read once. */
function tlsFile(env: NodeJS.ProcessEnv, name: string): Buffer | undefined {
  const path = env[`OTEL_EXPORTER_OTLP_TRACES_${name}`]?.trim() || env[`OTEL_EXPORTER_OTLP_${name}`]?.trim();
  if (!path) return undefined;
  try {
    return readFileSync(path);
  } catch (err) {
    diag.error(`OTEL_EXPORTER_OTLP_${name}=${path} could not be read: ${(err as Error).message}`);
    return undefined;
  }
}

/**
 * OTLP/HTTP on undici, the client the gateway proxies with, in place of the SDK's `node:http`
 * transport: an export made with `node:http`'s client runs its request through the same
 * outgoing-message and stream code the server's responses run through, with objects of other
 * shapes, and every proxied request paid for that afterwards (bench/gateway, tracing block, fresh
 * processes: a gateway sampling nothing but posting 40 KB once a second through `node:http`
 * spent 0.8 and 4.1 points more CPU per request than one posting nothing, in two passes; through
 * undici 0.3 points, in the second). Same
 * answers as the SDK's transport: 2xx success, 429/502/503/504 and network failures retryable
 * (with `Retry-After`), anything else a failure; gzip when configured; the TLS files of
 * `OTEL_EXPORTER_OTLP_CERTIFICATE`, `_CLIENT_CERTIFICATE` and `_CLIENT_KEY`.
 */
export class UndiciOtlpTransport implements IExporterTransport {
  readonly #config: OtlpSendConfiguration;
  readonly #url: URL;
  #pool: Pool | undefined;
  readonly #env: NodeJS.ProcessEnv;

  constructor(config: OtlpSendConfiguration, env: NodeJS.ProcessEnv = process.env) {
    this.#config = config;
    this.#url = new URL(config.url);
    this.#env = env;
  }

  // undici is imported on the first export, by the one process that asks for this transport (the
  // gateway, which proxies with it anyway): loading it costs any other service about 17 MB.
  async #connection(): Promise<Pool> {
    if (!this.#pool) {
      const { Pool } = await import('undici');
      const ca = tlsFile(this.#env, 'CERTIFICATE');
      const cert = tlsFile(this.#env, 'CLIENT_CERTIFICATE');
      const key = tlsFile(this.#env, 'CLIENT_KEY');
      this.#pool = new Pool(this.#url.origin, {
        connections: 4,
        keepAliveTimeout: 30_000,
        ...(ca || cert || key ? { connect: { ca, cert, key } } : {}),
      });
    }
    return this.#pool;
  }

  async send(data: Uint8Array, timeoutMillis: number): Promise<ExportResponse> {
    // A retry late in its export's time gets what is left of it: at least a millisecond (undici
    // reads 0 as no timeout at all, and AbortSignal refuses a negative one).
    const timeout = Math.max(1, Math.floor(timeoutMillis));
    const headers: Record<string, string> = {
      ...(await this.#config.headers()),
      'User-Agent': this.#config.userAgent ? `${this.#config.userAgent} opsmesh-otlp` : 'opsmesh-otlp',
    };
    let body: Uint8Array = data;
    if (this.#config.compression === 'gzip') {
      body = await gzip(data);
      headers['Content-Encoding'] = 'gzip';
    }
    try {
      const res = await (await this.#connection()).request({
        method: 'POST',
        path: this.#url.pathname + this.#url.search,
        headers,
        body,
        headersTimeout: timeout,
        bodyTimeout: timeout,
        signal: AbortSignal.timeout(timeout),
      });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) {
          res.body.destroy();
          return {
            status: 'failure',
            error: new Error(`OTLP export answer exceeded ${MAX_RESPONSE_BYTES} bytes`),
          };
        }
        chunks.push(chunk as Buffer);
      }
      const answer = Buffer.concat(chunks);
      if (res.statusCode <= 299) return { status: 'success', data: answer };
      if (RETRYABLE_STATUS.has(res.statusCode)) {
        const retryInMillis = retryAfterMs(res.headers['retry-after']);
        return { status: 'retryable', ...(retryInMillis === undefined ? {} : { retryInMillis }) };
      }
      return {
        status: 'failure',
        error: new Error(`OTLP export answered ${res.statusCode}: ${answer.toString('utf8', 0, 500)}`),
      };
    } catch (err) {
      const error = err as Error & { code?: string; cause?: { code?: string } };
      const code = error.code ?? error.cause?.code;
      if (error.name === 'TimeoutError' || error.name === 'AbortError')
        return { status: 'retryable', error: new Error('Request timed out') };
      return code && RETRYABLE_CODES.has(code)
        ? { status: 'retryable', error }
        : { status: 'failure', error };
    }
  }

  shutdown(): void {
    void this.#pool?.close().catch(() => {});
    this.#pool = undefined;
  }
}

const MAX_ATTEMPTS = 5;
const INITIAL_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 5000;
const BACKOFF_MULTIPLIER = 1.5;
const JITTER = 0.2;

/**
 * Retries a transport's retryable answers as the SDK's OTLP exporters do (its retrying transport
 * is internal to the SDK): up to five more tries, backing off 1 s × 1.5ⁿ (±20%, at most 5 s) or
 * as `Retry-After` says, never past the export's timeout.
 */
export class RetryingOtlpTransport implements IExporterTransport {
  constructor(private readonly transport: IExporterTransport) {}

  async send(data: Uint8Array, timeoutMillis: number): Promise<ExportResponse> {
    const deadline = Date.now() + timeoutMillis;
    let result = await this.transport.send(data, timeoutMillis);
    let backoff = INITIAL_BACKOFF_MS;
    for (let left = MAX_ATTEMPTS; result.status === 'retryable' && left > 0; left--) {
      const jittered = Math.max(
        Math.min(backoff * (1 + (Math.random() * 2 - 1) * JITTER), MAX_BACKOFF_MS),
        0,
      );
      backoff *= BACKOFF_MULTIPLIER;
      const wait = result.retryInMillis ?? jittered;
      const remaining = deadline - Date.now();
      if (wait > remaining) return result;
      await new Promise((r) => setTimeout(r, wait));
      result = await this.transport.send(data, deadline - Date.now());
    }
    return result;
  }

  shutdown(): void {
    this.transport.shutdown();
  }
}
