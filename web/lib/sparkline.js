// Small trend charts drawn with uPlot (vendored from npm, served by the gateway): one line per
// signal over the chosen window, with the rule's threshold as a dashed line when there is one.
import uPlot from '../vendor/uplot.js';

const COLOURS = {
  ok: '#2f6f4f',
  none: '#8a939c',
  info: '#35618f',
  warning: '#9a6700',
  critical: '#b3261e',
};

/**
 * A sparkline filling `container`'s width for `points` ([{ at, value }]), coloured by state;
 * `threshold` draws a dashed line. Answers the chart so the caller can destroy it.
 */
export function sparkline(container, points, { state = 'ok', threshold, height = 30 } = {}) {
  const xs = points.map((p) => Date.parse(p.at) / 1000);
  const ys = points.map((p) => (p.value === null ? null : p.value));
  const finite = ys.filter((v) => v !== null);
  const high = Math.max(0, ...finite);
  // The threshold is drawn when it is near the data; far above it, it would flatten the line.
  const showThreshold = threshold !== undefined && finite.length > 0 && threshold <= Math.max(high, 1e-9) * 2;
  const top = Math.max(high, showThreshold ? threshold : 0) * 1.1 || 1;
  const data = [xs, ys];
  // Points are drawn while there are too few values for a line (just after a start).
  const line = { stroke: COLOURS[state] ?? COLOURS.ok, width: 1.5, spanGaps: false };
  const series = [{}, { ...line, points: { show: finite.length < 3, size: 4, fill: line.stroke } }];
  if (showThreshold) {
    data.push(xs.map(() => threshold));
    series.push({ stroke: COLOURS.critical, width: 1, dash: [3, 3], points: { show: false } });
  }
  return new uPlot(
    {
      width: Math.max(60, container.clientWidth || 140),
      height,
      pxAlign: false,
      cursor: { show: false },
      legend: { show: false },
      select: { show: false },
      axes: [{ show: false }, { show: false }],
      scales: { x: { time: true }, y: { range: [0, top] } },
      series,
    },
    data,
    container,
  );
}
