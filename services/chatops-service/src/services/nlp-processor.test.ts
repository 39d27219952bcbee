import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from './nlp/evaluation.js';
import type { Lexicon } from './nlp/lexicon.js';
import { loadUtterances, type Utterance } from './nlp/utterances.js';
import { NlpProcessor } from './nlp-processor.js';

const lexicon = JSON.parse(
  readFileSync(new URL('../../data/lexicon.json', import.meta.url), 'utf8'),
) as Lexicon;

let nlp: NlpProcessor;
let all: Utterance[];

beforeAll(() => {
  all = loadUtterances();
  nlp = NlpProcessor.train(
    all.filter((u) => u.split === 'train'),
    lexicon,
  );
});

describe('the labelled data set', () => {
  it('has at least 400 utterances covering every intent and entity key in every split', () => {
    expect(all.length).toBeGreaterThanOrEqual(400);
    const intents = new Set(all.map((u) => u.intent));
    for (const split of ['train', 'heldout'] as const) {
      const rows = all.filter((u) => u.split === split);
      expect(new Set(rows.map((u) => u.intent))).toEqual(intents);
      const keys = new Set(rows.flatMap((u) => Object.keys(u.entities)));
      for (const key of [
        'service',
        'model',
        'alias',
        'version',
        'features',
        'signal',
        'window',
        'duration',
      ]) {
        expect(keys).toContain(key);
      }
      for (const key of ['alert', 'alert_id', 'silence_id', 'severity', 'comment', 'user'])
        expect(keys).toContain(key);
    }
    const heldout = all.filter((u) => u.split === 'heldout').length;
    expect(heldout / all.length).toBeGreaterThan(0.1);
  });

  it('never repeats a text across splits', () => {
    const texts = all.map((u) => u.text);
    expect(new Set(texts).size).toBe(texts.length);
  });
});

describe('NlpProcessor', () => {
  it('scores at least 95% intent accuracy and 95% entity F1 on the held-out split', () => {
    const report = evaluate(
      nlp,
      all.filter((u) => u.split === 'heldout'),
    );
    expect(report.intentAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(report.entityF1).toBeGreaterThanOrEqual(0.95);
  });

  it('reads natural phrasing and strict syntax alike', () => {
    const natural = nlp.interpret("what's the p99 latency of ml-service over the last 30 minutes?");
    const strict = nlp.interpret('/ops metrics ml-service latency_p99 30m');
    expect(natural).toMatchObject({ intent: 'metrics', strict: false, clarify: false });
    expect(strict).toMatchObject({ intent: 'metrics', strict: true, confidence: 1 });
    expect(natural.entities).toEqual(strict.entities);
    expect(natural.entities).toEqual({ service: 'ml-service', signal: 'latency_p99', window: '30m' });
  });

  it('uses durations for silences and windows for metrics', () => {
    expect(nlp.interpret('silence HighLatency for two hours').entities).toEqual({
      alert: 'HighLatency',
      duration: '2h',
    });
    expect(nlp.interpret('error rate of auth over 90 minutes').entities).toEqual({
      signal: 'error_ratio',
      service: 'auth-service',
      window: '1h30m',
    });
  });

  it('asks back with the likely options below the threshold', () => {
    const result = nlp.interpret('purple monkey dishwasher');
    expect(result.clarify).toBe(true);
    expect(result.alternatives.length).toBeGreaterThan(0);
    expect(result.alternatives.map((a) => a.intent)).not.toContain('unknown');
  });

  it('recognises confirmations and strips a leading bot mention', () => {
    expect(nlp.interpret('confirm x7k2p9')).toMatchObject({
      intent: 'confirm',
      entities: { code: 'X7K2P9' },
    });
    expect(nlp.interpret('<@U0BOT> list models').intent).toBe('models.list');
    expect(nlp.interpret('/ops').intent).toBe('help');
  });

  it('can swap its lexicon without retraining', () => {
    const next = nlp.withLexicon({ ...lexicon, models: ['sentiment-analyzer'] });
    expect(next.interpret('predict sentiment-analyzr 0.1 0.2').entities).toEqual({
      model: 'sentiment-analyzer',
      features: [0.1, 0.2],
    });
  });
});
