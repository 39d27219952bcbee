/**
 * Loaded with `node --import @opsmesh/shared/register` before a service's entry point, so the
 * OpenTelemetry SDK and its instrumentations are in place before any module they patch is
 * imported. ESM imports of `pg` and `ioredis` are patched through import-in-the-middle's loader
 * hook (limited to those two packages, so every other module loads untouched); fetch and undici
 * report through diagnostics channels and need no hook. Every setting comes from the
 * environment (`OTEL_*`, `OPSMESH_TRACE_*`); a bad one stops the process naming the variable.
 */
import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import { dirname, join } from 'node:path';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { setGlobalErrorHandler } from '@opentelemetry/core';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { tracingInstrumentations } from './instrumentations.js';
import { sdkErrorMessage, setupTracing } from './setup-tracing.js';
import { type TraceContextMode, traceContextMode } from './trace-export-config.js';

/** The name and version in the package.json nearest to the entry script: the service's own. */
function entryPackage(): { name: string; version?: string; traceContext?: string; traceTransport?: string } {
  let dir = dirname(process.argv[1] ?? join(process.cwd(), 'x'));
  for (let i = 0; i < 8; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
        opsmesh?: { traceContext?: string; traceTransport?: string };
      };
      if (pkg.name) {
        return {
          name: pkg.name,
          ...(pkg.version ? { version: pkg.version } : {}),
          ...(pkg.opsmesh?.traceContext ? { traceContext: pkg.opsmesh.traceContext } : {}),
          ...(pkg.opsmesh?.traceTransport ? { traceTransport: pkg.opsmesh.traceTransport } : {}),
        };
      }
    } catch {
      // no package.json here: look one level up
    }
    dir = dirname(dir);
  }
  return { name: 'unknown_service' };
}

// pg and ioredis are patched as they are imported, through import-in-the-middle's loader hook,
// which Node runs on a thread of its own with a V8 heap of its own. A process that loads neither
// (the embedded database and no Redis: pg is only imported for DATABASE_URL) gets neither the hook
// nor those two instrumentations: auth-service on PGlite, started as the image starts it, idles at
// 155-161 MB instead of 210 MB.
const pkg = entryPackage();
/** The bad setting's message on stderr, and the process stops. */
function refuse(err: unknown): never {
  process.stderr.write(`${pkg.name}: invalid tracing configuration\n  - ${(err as Error).message}\n`);
  process.exit(1);
}
// A service whose package.json says `"opsmesh": { "traceContext": "explicit" }` (the gateway)
// passes contexts on by hand, and OPSMESH_TRACE_CONTEXT can say either way for any service.
let contextMode: TraceContextMode = 'async';
try {
  contextMode = traceContextMode(process.env, pkg.traceContext as TraceContextMode | undefined);
} catch (err) {
  refuse(err);
}
// Every instrumentation here makes spans only under an active span (a call outside any trace is
// not worth one), which with explicit contexts exists only inside a synchronous `context.with`:
// such a process loads none of them, nor the loader hook.
const explicit = contextMode === 'explicit';
const uses = { pg: Boolean(process.env['DATABASE_URL']), ioredis: Boolean(process.env['REDIS_URL']) };
let hooksAcknowledged = async () => {};
if (!explicit && (uses.pg || uses.ioredis)) {
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
  hooksAcknowledged = waitForAllMessagesAcknowledged;
}

// Stable semantic-convention names for database and HTTP spans (`db.query.text`, `server.address`).
process.env['OTEL_SEMCONV_STABILITY_OPT_IN'] ??= 'database,http';
// The SDK's own warnings (an export that failed, a dropped batch) as JSON lines on stderr, named.
const diagLine =
  (level: string) =>
  (message: string, ...args: unknown[]) => {
    const detail = args.map((a) =>
      a instanceof Error ? a.message : typeof a === 'string' ? a : JSON.stringify(a),
    );
    process.stderr.write(
      `${JSON.stringify({ level, time: new Date().toISOString(), service: pkg.name, msg: `opentelemetry: ${message}`, detail: detail.join(' ') || undefined })}\n`,
    );
  };
diag.setLogger(
  { error: diagLine('error'), warn: diagLine('warn'), info: () => {}, debug: () => {}, verbose: () => {} },
  DiagLogLevel.WARN,
);
// The SDK's default error handler logs an error as its JSON, stack included: a failed export read
// as a stack trace in the terminal. Its message says what failed (the exporter names where to).
setGlobalErrorHandler((error) => diag.error(sdkErrorMessage(error)));
let tracing: ReturnType<typeof setupTracing>;
try {
  tracing = setupTracing({
    serviceName: pkg.name,
    ...(pkg.version ? { serviceVersion: pkg.version } : {}),
    context: contextMode,
    // `"opsmesh": { "traceTransport": "undici" }` (the gateway, which proxies with undici): spans
    // go out over undici rather than `node:http`'s client (`UndiciOtlpTransport` says why).
    ...(pkg.traceTransport === 'undici' ? { transport: 'undici' as const } : {}),
    instrumentations: explicit ? [] : tracingInstrumentations(uses),
  });
} catch (err) {
  refuse(err);
}
await hooksAcknowledged();

// Spans still batched at a natural exit are sent; a signalled stop flushes in installShutdown.
process.once('beforeExit', () => {
  void tracing.shutdown();
});
