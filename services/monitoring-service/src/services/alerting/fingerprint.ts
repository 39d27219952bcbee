import { createHash } from 'node:crypto';
import { type Labels, labelsKey } from '../metrics/labels.js';

/** A stable 16-hex-digit identity of a label set, as Alertmanager shows fingerprints. */
export function fingerprint(labels: Labels): string {
  return createHash('sha256').update(labelsKey(labels)).digest('hex').slice(0, 16);
}
