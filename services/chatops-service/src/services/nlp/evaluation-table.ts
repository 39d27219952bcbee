import type { EvaluationReport } from './evaluation.js';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Short column names for the confusion matrix: `alerts.silence` → `al.sil`. */
function short(intent: string): string {
  return intent
    .split('.')
    .map((p) => p.slice(0, 3))
    .join('.');
}

/**
 * The report as plain text: headline scores, precision/recall/F1 per entity type, and the
 * confusion matrix (rows: intent expected, columns: intent given).
 *
 * @example console.log(formatReport('held-out', evaluate(nlp, heldout)))
 */
export function formatReport(title: string, r: EvaluationReport): string {
  const lines: string[] = [];
  lines.push(`${title}: ${r.examples} messages`);
  lines.push(`  intent accuracy ${pct(r.intentAccuracy)} (${r.clarifications} asked back)`);
  lines.push(
    `  entities: precision ${pct(r.entityPrecision)}, recall ${pct(r.entityRecall)}, F1 ${pct(r.entityF1)} (${r.expectedCount} expected, ${r.predictedCount} found)`,
  );
  lines.push(
    '',
    `  ${'entity'.padEnd(12)}${'expected'.padStart(9)}${'found'.padStart(7)}  precision  recall     F1`,
  );
  for (const [key, s] of Object.entries(r.byEntity)) {
    lines.push(
      `  ${key.padEnd(12)}${String(s.expected).padStart(9)}${String(s.predicted).padStart(7)}  ${pct(s.precision).padStart(9)}  ${pct(s.recall).padStart(6)}  ${pct(s.f1).padStart(6)}`,
    );
  }
  const intents = [
    ...new Set([...Object.keys(r.confusion), ...Object.values(r.confusion).flatMap(Object.keys)]),
  ].sort();
  const width = Math.max(6, ...intents.map((i) => short(i).length)) + 1;
  lines.push('', '  confusion (rows: expected, columns: given)');
  lines.push(`  ${''.padEnd(18)}${intents.map((i) => short(i).padStart(width)).join('')}`);
  for (const expected of intents) {
    const row = r.confusion[expected];
    if (!row) continue;
    lines.push(
      `  ${expected.padEnd(18)}${intents.map((got) => (row[got] ? String(row[got]) : '.').padStart(width)).join('')}`,
    );
  }
  return lines.join('\n');
}
