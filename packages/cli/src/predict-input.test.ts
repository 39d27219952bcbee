import { describe, expect, it } from 'vitest';
import { CliError } from './cli-error.js';
import { csvAsJson, plainRow, predictRows } from './predict-input.js';

const refusal = (source: string, what = 'The input') => {
  try {
    predictRows(source, what);
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(2);
    return (err as CliError).message;
  }
  throw new Error('not refused');
};

describe('predictRows', () => {
  it('takes one row, a list of rows, named features or {"instances": [...]}', () => {
    expect(predictRows('[5.1, 3.5, 1.4, 0.2]', 'x')).toEqual([[5.1, 3.5, 1.4, 0.2]]);
    expect(predictRows('[[1, 2], [3, 4]]', 'x')).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(predictRows('{"a": 1}', 'x')).toEqual([{ a: 1 }]);
    expect(predictRows('{"instances": [[1]]}', 'x')).toEqual([[1]]);
  });

  it('takes one row written plainly, as chat and the console do: numbers split by spaces or commas', () => {
    for (const text of [
      '5.1 3.5 1.4 0.2',
      '5.1,3.5,1.4,0.2',
      ' 5.1, 3.5 ,1.4;0.2\n',
      '5.1\t3.5\t1.4\t0.2',
      '-1 2e3 .5 0',
    ])
      expect(predictRows(text, 'The input')[0]).toHaveLength(4);
    expect(predictRows('5.1 3.5 1.4 0.2', 'The input')).toEqual([[5.1, 3.5, 1.4, 0.2]]);
    expect(predictRows('5.1,3.5', 'row.txt')).toEqual([[5.1, 3.5]]);
    // Decimal commas, words or two lines are not one plain row: no guess.
    expect(plainRow('5,1 3,5 1,4 0,2')).toBeNull();
    expect(plainRow('5.1 three')).toBeNull();
    expect(plainRow('5.1,,3.5')).toBeNull();
    expect(plainRow('1 2\n3 4')).toBeNull();
  });

  it('answers several comma-separated lines with the JSON to write instead', () => {
    expect(refusal('5,1 3,5 1,4 0,2')).toMatch(/^The input is neither a row of numbers nor JSON/);
    expect(refusal('5.1, 3.5\n6.7, 3.0\n1, 2\n', 'rows.csv')).toMatch(
      /^rows\.csv is comma-separated values, not JSON\. .*e\.g\. \[\[5\.1, 3\.5\], \[6\.7, 3\]\] \(the first rows\)\.$/,
    );
    expect(csvAsJson('sepal_length,sepal_width\n5.1,3.5\n')).toBe(
      '{"sepal_length": 5.1, "sepal_width": 3.5}',
    );
    expect(csvAsJson('5.1\t3.5')).toBe('[5.1, 3.5]');
  });

  it('says what JSON it wants for anything else that is not JSON', () => {
    expect(refusal('five point one')).toMatch(
      /^The input is neither a row of numbers nor JSON \(.*\)\. Write a row as numbers, e\.g\. --input '5\.1 3\.5 1\.4 0\.2', or as JSON/,
    );
    expect(csvAsJson('a,b\nc,d')).toBeNull();
    expect(csvAsJson('1,2\n3')).toBeNull();
    expect(refusal('"text"')).toMatch(/must be a row/);
  });
});
