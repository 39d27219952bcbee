import type { FixtureSeries } from './series-fixture.js';

/** A small deterministic generator (LCG), so both engines and every run see the same data. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

export const STEP_MS = 15_000;

/**
 * The series both engines are fed: RED metrics of three services with two instances each,
 * latency histograms, `up` (one instance goes down), memory and a signed gauge. Each series is
 * sampled every 15 s from `startMs` (aligned) for `samples` steps, shifted by its own few hundred
 * milliseconds so no window edge of the queries falls on a sample.
 */
export function conformanceSeries(startMs: number, samples: number): FixtureSeries[] {
  const rnd = random(42);
  const out: FixtureSeries[] = [];
  let k = 0;
  const series = (labels: Record<string, string>, value: (i: number) => number) => {
    const shift = (k++ * 137) % 5000;
    const points: Array<[number, number]> = [];
    for (let i = 0; i < samples; i++) points.push([startMs + i * STEP_MS + shift, value(i)]);
    out.push({ labels, points });
  };
  const services = ['api', 'auth', 'ml'];
  const instances = ['i1', 'i2'];
  services.forEach((service, si) => {
    for (const instance of instances) {
      for (const [ci, code] of ['200', '404', '500'].entries()) {
        let v = 0;
        const perStep = (ci === 0 ? 300 : ci === 1 ? 20 : 5) * (si + 1);
        const resets = service === 'api' && instance === 'i1' && code === '200';
        series({ __name__: 'http_requests_total', service, instance, status_code: code }, (i) => {
          if (resets && i === 100) v = 0;
          v += Math.round(perStep * (0.7 + 0.6 * rnd()));
          return v;
        });
      }
      const shares = [0.3 + 0.1 * si, 0.6, 0.85, 0.97, 1];
      const counts = [0, 0, 0, 0, 0];
      const ticks: number[][] = [];
      for (let i = 0; i < samples; i++) {
        const n = Math.round(100 * (0.5 + rnd()));
        shares.forEach((share, b) => {
          counts[b]! += Math.round(n * share);
        });
        ticks.push([...counts]);
      }
      ['0.05', '0.1', '0.25', '1', '+Inf'].forEach((le, b) => {
        series(
          { __name__: 'http_request_duration_seconds_bucket', service, instance, le },
          (i) => ticks[i]![b]!,
        );
      });
      const goesDown = service === 'ml' && instance === 'i2';
      series({ __name__: 'up', service, instance }, (i) => (goesDown && i >= samples - 30 ? 0 : 1));
      series({ __name__: 'process_resident_memory_bytes', service, instance }, () =>
        Math.round(1e8 + 5e7 * rnd()),
      );
    }
    let depth = 0;
    series({ __name__: 'queue_depth', service }, () => {
      depth += Math.round((rnd() - 0.5) * 8) / 2;
      return depth;
    });
  });
  return out;
}

/** The series as an OpenMetrics file for `promtool tsdb create-blocks-from openmetrics`. */
export function openMetrics(series: readonly FixtureSeries[]): string {
  const lines: string[] = [];
  for (const s of series) {
    const { __name__: name, ...labels } = s.labels;
    const block = Object.entries(labels)
      .map(([k, v]) => `${k}="${v}"`)
      .join(',');
    for (const [t, v] of s.points) lines.push(`${name}{${block}} ${v} ${(t / 1000).toFixed(3)}`);
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}
