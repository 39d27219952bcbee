import { trace } from '@opentelemetry/api';

/**
 * Sends the spans the registered SDK still holds, waiting at most `timeoutMs`; nothing happens
 * when no SDK is registered. Called on shutdown so the last requests' spans are not lost.
 *
 * @example
 * await app.close(); await flushTraces(); process.exit(0);
 */
export async function flushTraces(timeoutMs = 2000): Promise<void> {
  const global = trace.getTracerProvider() as { getDelegate?: () => unknown };
  const provider = (global.getDelegate?.() ?? global) as { forceFlush?: () => Promise<void> };
  if (typeof provider.forceFlush !== 'function') return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    provider.forceFlush().catch(() => {}),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    }),
  ]);
  clearTimeout(timer);
}
