/**
 * Writes data/utterances.jsonl from the phrasings in utterance-templates.ts, filling slots from the
 * pools below with a seeded generator so the file is reproducible. Run after changing a template:
 *   node --conditions=source --import tsx services/chatops-service/scripts/generate-utterances.ts
 */
import { writeFileSync } from 'node:fs';
import { seededRandom } from '../src/services/nlp/seeded-random.js';
import { TEMPLATES } from './utterance-templates.js';

type Fill = [surface: string, value: string | number | number[]];

// Each slot's surfaces and the entity value they must produce. `heldoutOnly` surfaces never appear in
// training, so the held-out set also measures typos the extractor has not been tuned on.
const SLOTS: Record<string, { key: string; fills: Fill[]; heldoutOnly?: Fill[] }> = {
  service: {
    key: 'service',
    fills: [
      ['ml-service', 'ml-service'],
      ['ml', 'ml-service'],
      ['the ml service', 'ml-service'],
      ['auth-service', 'auth-service'],
      ['auth', 'auth-service'],
      ['monitoring', 'monitoring-service'],
      ['monitoring-service', 'monitoring-service'],
      ['chatops', 'chatops-service'],
      ['gateway', 'gateway'],
      ['ml-servcie', 'ml-service'],
      ['gatway', 'gateway'],
    ],
    heldoutOnly: [
      ['auht', 'auth-service'],
      ['monitorng', 'monitoring-service'],
      ['chatops service', 'chatops-service'],
    ],
  },
  signal: {
    key: 'signal',
    fills: [
      ['p99', 'latency_p99'],
      ['p99 latency', 'latency_p99'],
      ['latency_p99', 'latency_p99'],
      ['99th percentile latency', 'latency_p99'],
      ['p95 latency', 'latency_p95'],
      ['median latency', 'latency_p50'],
      ['error rate', 'error_ratio'],
      ['error_ratio', 'error_ratio'],
      ['throughput', 'request_rate'],
      ['request rate', 'request_rate'],
      ['uptime', 'availability'],
      ['availability', 'availability'],
    ],
    heldoutOnly: [
      ['availabilty', 'availability'],
      ['rps', 'request_rate'],
      ['saturation', 'saturation'],
      ['p50', 'latency_p50'],
    ],
  },
  window: {
    key: 'window',
    fills: [
      ['30 minutes', '30m'],
      ['30m', '30m'],
      ['two hours', '2h'],
      ['90 minutes', '1h30m'],
      ['1 day', '1d'],
      ['15 mins', '15m'],
      ['6h', '6h'],
      ['24 hours', '1d'],
      ['3 days', '3d'],
      ['1h30m', '1h30m'],
    ],
    heldoutOnly: [
      ['half an hour', '30m'],
      ['45 minutes', '45m'],
      ['an hour and a half', '1h30m'],
    ],
  },
  duration: { key: 'duration', fills: [] },
  model: {
    key: 'model',
    fills: [
      ['iris-classifier', 'iris-classifier'],
      ['iris', 'iris-classifier'],
      ['churn-predictor', 'churn-predictor'],
      ['fraud-detector', 'fraud-detector'],
      ['iris-clasifier', 'iris-classifier'],
    ],
    heldoutOnly: [
      ['fraud-detecter', 'fraud-detector'],
      ['iris-classifer', 'iris-classifier'],
    ],
  },
  alias: {
    key: 'alias',
    fills: [
      ['production', 'production'],
      ['prod', 'production'],
      ['staging', 'staging'],
      ['canary', 'canary'],
    ],
    heldoutOnly: [
      ['champion', 'champion'],
      ['productoin', 'production'],
    ],
  },
  version: {
    key: 'version',
    fills: [
      ['v3', 3],
      ['version 2', 2],
      ['v7', 7],
      ['version three', 3],
    ],
    heldoutOnly: [
      ['v12', 12],
      ['revision 4', 4],
    ],
  },
  version_n: {
    key: 'version',
    fills: [
      ['3', 3],
      ['2', 2],
      ['5', 5],
    ],
  },
  features: {
    key: 'features',
    fills: [
      ['5.1 3.5 1.4 0.2', [5.1, 3.5, 1.4, 0.2]],
      ['[6.3, 2.9, 5.6, 1.8]', [6.3, 2.9, 5.6, 1.8]],
      ['5.9,3.0,5.1,1.8', [5.9, 3, 5.1, 1.8]],
      ['4.9 3.1 1.5 0.1', [4.9, 3.1, 1.5, 0.1]],
    ],
    heldoutOnly: [['(7.0, 3.2, 4.7, 1.4)', [7, 3.2, 4.7, 1.4]]],
  },
  alert: {
    key: 'alert',
    fills: [
      ['HighLatencyP99', 'HighLatencyP99'],
      ['HighErrorRatio', 'HighErrorRatio'],
      ['ServiceDown', 'ServiceDown'],
      ['servicedown', 'ServiceDown'],
      ['ErrorBudgetBurnFast', 'ErrorBudgetBurnFast'],
    ],
    heldoutOnly: [
      ['HighErorRatio', 'HighErrorRatio'],
      ['DiskAlmostFull', 'DiskAlmostFull'],
    ],
  },
  alert_id: {
    key: 'alert_id',
    fills: [
      ['alt_7f3k2', 'alt_7f3k2'],
      ['alt_19', 'alt_19'],
      ['alt_a8c2d9', 'alt_a8c2d9'],
    ],
    heldoutOnly: [['alt_q2w9', 'alt_q2w9']],
  },
  silence_id: {
    key: 'silence_id',
    fills: [
      ['sil_4k2m', 'sil_4k2m'],
      ['sil_93jd', 'sil_93jd'],
    ],
    heldoutOnly: [['sil_x81', 'sil_x81']],
  },
  severity: {
    key: 'severity',
    fills: [
      ['critical', 'critical'],
      ['crit', 'critical'],
      ['warning', 'warning'],
      ['warn', 'warning'],
      ['info', 'info'],
    ],
    heldoutOnly: [['critcal', 'critical']],
  },
  comment: {
    key: 'comment',
    fills: [
      ['deploy in progress', 'deploy in progress'],
      ['known issue', 'known issue'],
      ['investigating the spike', 'investigating the spike'],
      ['maintenance window', 'maintenance window'],
    ],
    heldoutOnly: [['DB failover, Ops ticket 4411', 'DB failover, Ops ticket 4411']],
  },
  user: {
    key: 'user',
    fills: [
      ['alice', 'alice'],
      ['bob', 'bob'],
      ['carol', 'carol'],
      ['dave.smith', 'dave.smith'],
    ],
    heldoutOnly: [['erin', 'erin']],
  },
  code: {
    key: 'code',
    fills: [
      ['K7Q2-M9XD', 'K7Q2-M9XD'],
      ['ab12-cd34', 'AB12-CD34'],
      ['9ZXP-4T7W', '9ZXP-4T7W'],
    ],
  },
};
SLOTS['duration']!.fills = SLOTS['window']!.fills;
SLOTS['duration']!.heldoutOnly = SLOTS['window']!.heldoutOnly!;

const random = seededRandom(20261126);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

function fill(template: string, split: 'train' | 'dev' | 'heldout') {
  const entities: Record<string, unknown> = {};
  const text = template.replace(/\{(\w+)\}/g, (_, slot: string) => {
    const spec = SLOTS[slot];
    if (!spec) throw new Error(`unknown slot ${slot} in "${template}"`);
    const pool = split !== 'train' && spec.heldoutOnly && random() < 0.4 ? spec.heldoutOnly : spec.fills;
    const [surface, value] = pick(pool);
    entities[spec.key] = value;
    return surface;
  });
  return { text, entities };
}

for (const [intent, sets] of Object.entries(TEMPLATES)) {
  const copied = [...sets.heldout, ...sets.dev].filter((t) => sets.train.includes(t));
  const reused = sets.heldout.filter((t) => sets.dev.includes(t));
  if (copied.length + reused.length > 0)
    throw new Error(`${intent}: phrasing reused: ${[...copied, ...reused].join(' | ')}`);
}

const lines: string[] = [];
const seen = new Set<string>();
let n = 0;
for (const [intent, sets] of Object.entries(TEMPLATES)) {
  for (const split of ['train', 'dev', 'heldout'] as const) {
    for (const template of sets[split]) {
      const copies = template.includes('{') ? (split === 'train' ? 4 : 3) : 1;
      for (let i = 0; i < copies; i++) {
        const { text, entities } = fill(template, split);
        if (seen.has(text.toLowerCase())) continue;
        seen.add(text.toLowerCase());
        n++;
        const id = `utt_${String(n).padStart(4, '0')}`;
        lines.push(JSON.stringify({ id, text, intent, entities, split }));
      }
    }
  }
}
const out = new URL('../data/utterances.jsonl', import.meta.url);
writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`wrote ${lines.length} utterances to ${out.pathname}`);
