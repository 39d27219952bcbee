/**
 * A synthetic `/metrics` body shaped like an opsmesh service: RED counters and a latency
 * histogram per route, plus process gauges, exactly `seriesPerTarget` series in all.
 */
export interface SyntheticTarget {
  service: string;
  instance: string;
}

const BUCKETS = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '+Inf'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
const CODES = ['200', '201', '400', '404', '500'];

export function syntheticExposition(seriesPerTarget: number, service: string, round: number): string {
  const lines: string[] = [];
  let n = 0;
  lines.push('# HELP http_requests_total Requests handled.', '# TYPE http_requests_total counter');
  const routes = Math.max(1, Math.floor(seriesPerTarget / 50));
  for (let r = 0; r < routes && n < seriesPerTarget; r++) {
    for (const method of METHODS.slice(0, 2)) {
      for (const code of CODES) {
        if (n >= seriesPerTarget) break;
        const v = round * (r + 1) * (code === '500' ? 1 : 7);
        lines.push(
          `http_requests_total{service="${service}",method="${method}",route="/api/v1/items/${r}",status_code="${code}"} ${v}`,
        );
        n++;
      }
    }
  }
  lines.push('# TYPE http_request_duration_seconds histogram');
  for (let r = 0; r < routes && n < seriesPerTarget; r++) {
    for (const method of METHODS) {
      const labels = `service="${service}",method="${method}",route="/api/v1/items/${r}"`;
      let cum = 0;
      for (let b = 0; b < BUCKETS.length && n < seriesPerTarget; b++) {
        cum += round * (b + 1);
        lines.push(`http_request_duration_seconds_bucket{${labels},le="${BUCKETS[b]}"} ${cum}`);
        n++;
      }
      if (n < seriesPerTarget) {
        lines.push(`http_request_duration_seconds_sum{${labels}} ${(cum * 0.042).toFixed(6)}`);
        n++;
      }
      if (n < seriesPerTarget) {
        lines.push(`http_request_duration_seconds_count{${labels}} ${cum}`);
        n++;
      }
    }
  }
  lines.push('# TYPE app_gauge gauge');
  for (let g = 0; n < seriesPerTarget; g++, n++)
    lines.push(`app_gauge{slot="${g}"} ${(round * 0.37 + g) % 1000}`);
  return lines.join('\n') + '\n';
}
