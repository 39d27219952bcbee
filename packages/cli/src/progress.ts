import { formatBytes } from './output.js';

/** Progress of a transfer of a known size. */
export interface Progress {
  update(done: number): void;
  finish(): void;
}

const WIDTH = 30;

/**
 * A one-line bar redrawn in place on a terminal (`[#####.....]  45%  12 MB / 27 MB`); on anything
 * else it stays silent, so logs and pipes get no carriage returns.
 *
 * @example
 * const bar = progressBar(size, process.stderr); stream.on('data', (c) => bar.update(sent += c.length));
 */
export function progressBar(total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY || total <= 0) return { update: () => {}, finish: () => {} };
  let lastDrawn = -1;
  const draw = (done: number) => {
    const pct = Math.min(100, Math.floor((done / total) * 100));
    if (pct === lastDrawn) return;
    lastDrawn = pct;
    const filled = Math.round((pct / 100) * WIDTH);
    stream.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${String(pct).padStart(3)}%  ${formatBytes(done)} / ${formatBytes(total)}`,
    );
  };
  return {
    update: draw,
    finish: () => {
      draw(total);
      stream.write('\n');
    },
  };
}
