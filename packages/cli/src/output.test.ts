import { describe, expect, it } from 'vitest';
import { formatPercent, table } from './output.js';
import { progressBar } from './progress.js';

describe('readable output', () => {
  it('aligns columns under upper-case headings and keeps cells on one line', () => {
    const rows = [
      { name: 'iris', note: 'two\nlines' },
      { name: 'fraud-detector', note: '' },
    ];
    expect(
      table(rows, [
        { header: 'name', cell: (r) => r.name },
        { header: 'note', cell: (r) => r.note },
      ]),
    ).toBe('NAME            NOTE\niris            two lines\nfraud-detector');
  });
});

describe('progress bar', () => {
  const stream = (isTTY: boolean) => {
    const writes: string[] = [];
    return { writes, s: { isTTY, write: (t: string) => writes.push(t) } as unknown as NodeJS.WriteStream };
  };

  it('redraws one line in place on a terminal, once per percent', () => {
    const { writes, s } = stream(true);
    const bar = progressBar(2000, s);
    bar.update(500);
    bar.update(501);
    bar.update(1000);
    bar.finish();
    expect(writes).toEqual([
      `\r[${'#'.repeat(8)}${'.'.repeat(22)}]  25%  500 B / 1.95 KB`,
      `\r[${'#'.repeat(15)}${'.'.repeat(15)}]  50%  1000 B / 1.95 KB`,
      `\r[${'#'.repeat(30)}] 100%  1.95 KB / 1.95 KB`,
      '\n',
    ]);
  });

  it('stays silent when the output is not a terminal', () => {
    const { writes, s } = stream(false);
    const bar = progressBar(2000, s);
    bar.update(1000);
    bar.finish();
    expect(writes).toEqual([]);
  });
});

describe('percentages', () => {
  it('are written as the console writes them: no trailing zeros, a dash for none', () => {
    expect([1, 0.9, 0.5, 0.99912, 0.0042, 0, null, undefined].map(formatPercent)).toEqual([
      '100%',
      '90%',
      '50%',
      '99.91%',
      '0.42%',
      '0%',
      '-',
      '-',
    ]);
  });
});
