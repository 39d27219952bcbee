import { describe, expect, it } from 'vitest';
import { CounterTable, CounterTables } from './counter-table.js';

describe('CounterTable', () => {
  it('gives each key its own zeroed cells, grows, and reuses swept cells zeroed', () => {
    const table = new CounterTable(3, 2);
    const offsets = ['a', 'b', 'c', 'd', 'e'].map((k) => table.slot(k));
    expect(new Set(offsets).size).toBe(5);
    for (const at of offsets) expect(Array.from(table.data.subarray(at, at + 3))).toEqual([0, 0, 0]);
    table.data[table.slot('c') + 1] = 7;
    expect(table.slot('c')).toBe(offsets[2]);
    expect(table.data[offsets[2]! + 1]).toBe(7);
    table.sweep((at) => at === offsets[2]);
    expect(table.size).toBe(4);
    expect(table.find('c')).toBe(-1);
    const reused = table.slot('f');
    expect(reused).toBe(offsets[2]);
    expect(Array.from(table.data.subarray(reused, reused + 3))).toEqual([0, 0, 0]);
  });

  it('keeps one table per number of windows', () => {
    const tables = new CounterTables(3, 1);
    tables.for(1).slot('x');
    tables.for(2).slot('x');
    expect(tables.for(2).stride).toBe(7);
    expect(tables.size).toBe(2);
    tables.sweep((d, meta) => d[meta] === 0);
    expect(tables.size).toBe(0);
  });
});
