import { createPrng, shuffled } from './prng.js';

export const IRIS_CLASSES = ['Iris-setosa', 'Iris-versicolor', 'Iris-virginica'] as const;
export const IRIS_FEATURES = [
  'sepal_length_cm',
  'sepal_width_cm',
  'petal_length_cm',
  'petal_width_cm',
] as const;

export interface IrisRow {
  features: number[];
  label: number;
}

export function parseIrisCsv(text: string): IrisRow[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = lines.shift()?.split(',') ?? [];
  if (header.slice(0, 4).join(',') !== IRIS_FEATURES.join(','))
    throw new Error(`unexpected header: ${header.join(',')}`);
  return lines.map((line, i) => {
    const cells = line.split(',');
    const features = cells.slice(0, 4).map(Number);
    const label = IRIS_CLASSES.indexOf(cells[4]?.trim() as (typeof IRIS_CLASSES)[number]);
    if (features.some((f) => !Number.isFinite(f)) || label < 0) throw new Error(`bad row ${i + 2}: ${line}`);
    return { features, label };
  });
}

/** Stratified split: the same share of every class goes to the held-out set. */
export function stratifiedSplit(rows: readonly IrisRow[], heldOutShare: number, seed: number) {
  const rand = createPrng(seed);
  const train: IrisRow[] = [];
  const test: IrisRow[] = [];
  for (let c = 0; c < IRIS_CLASSES.length; c++) {
    const ofClass = shuffled(
      rows.filter((r) => r.label === c),
      rand,
    );
    const cut = Math.round(ofClass.length * heldOutShare);
    test.push(...ofClass.slice(0, cut));
    train.push(...ofClass.slice(cut));
  }
  return { train: shuffled(train, rand), test };
}
