import { describe, expect, it } from 'vitest';
import { CliError } from './cli-error.js';
import { csvAsJson, predictRows } from './predict-input.js';

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

  it('answers comma-separated values with the JSON to write instead', () => {
    expect(refusal('5.1,3.5,1.4,0.2')).toBe(
      "The input is comma-separated values, not JSON. Write the rows as JSON, e.g. --input '[5.1, 3.5, 1.4, 0.2]'.",
    );
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
      /^The input is not JSON \(.*\)\. Write a row as a JSON list, e.g\. --input '\[5\.1, 3\.5, 1\.4, 0\.2\]'/,
    );
    expect(csvAsJson('a,b\nc,d')).toBeNull();
    expect(csvAsJson('1,2\n3')).toBeNull();
    expect(refusal('"text"')).toMatch(/must be a row/);
  });
});
