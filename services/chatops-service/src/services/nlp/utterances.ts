import { readFileSync } from 'node:fs';
import type { Entities, Lexicon } from './lexicon.js';

export interface Utterance {
  id: string;
  text: string;
  intent: string;
  entities: Entities;
  split: 'train' | 'dev' | 'heldout';
}

/** The labelled data set shipped with the service (one JSON object per line). */
export const UTTERANCES_FILE = new URL('../../../data/utterances.jsonl', import.meta.url);

/** Reads and checks the labelled data set; a malformed line names its line number. */
export function loadUtterances(file: URL | string = UTTERANCES_FILE): Utterance[] {
  const out: Utterance[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const row = JSON.parse(line) as Partial<Utterance>;
    if (typeof row.text !== 'string' || typeof row.intent !== 'string' || typeof row.entities !== 'object') {
      throw new Error(`utterances line ${i + 1}: needs text, intent and entities`);
    }
    if (row.split !== 'train' && row.split !== 'dev' && row.split !== 'heldout')
      throw new Error(`utterances line ${i + 1}: bad split`);
    out.push(row as Utterance);
  });
  return out;
}

/** The vocabulary the data set was written against; training masks entities with it. */
export function loadDatasetLexicon(
  file: URL | string = new URL('../../../data/lexicon.json', import.meta.url),
): Lexicon {
  return JSON.parse(readFileSync(file, 'utf8')) as Lexicon;
}
