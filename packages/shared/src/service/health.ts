export type ReadinessCheck = () => Promise<unknown>;

export interface CheckResult {
  name: string;
  status: 'ok' | 'fail';
  latencyMs: number;
  error?: string;
  detail?: unknown;
}

/** Runs every readiness check at once, each bounded by `timeoutMs`. */
export async function runChecks(
  checks: ReadonlyMap<string, ReadinessCheck>,
  timeoutMs: number,
): Promise<{ status: 'ok' | 'fail'; checks: CheckResult[] }> {
  const results = await Promise.all(
    [...checks].map(async ([name, check]): Promise<CheckResult> => {
      const start = performance.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        const detail = await Promise.race([
          check(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        const result: CheckResult = { name, status: 'ok', latencyMs: round(performance.now() - start) };
        if (detail !== undefined && detail !== null) result.detail = detail;
        return result;
      } catch (err) {
        return {
          name,
          status: 'fail',
          latencyMs: round(performance.now() - start),
          error: err instanceof Error ? err.message : String(err),
        };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { status: results.every((r) => r.status === 'ok') ? 'ok' : 'fail', checks: results };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
