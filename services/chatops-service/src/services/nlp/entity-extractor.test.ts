import { describe, expect, it } from 'vitest';
import { EntityExtractor } from './entity-extractor.js';
import { DEFAULT_LEXICON } from './lexicon.js';

const extractor = new EntityExtractor({ ...DEFAULT_LEXICON, models: ['iris-classifier', 'fraud-detector'] });
const entities = (text: string) => extractor.extract(text).entities;

describe('EntityExtractor', () => {
  it('reads the example of the issue with canonical names', () => {
    expect(entities("what's the p99 latency of ml-service over the last 30 minutes?")).toEqual({
      signal: 'latency_p99',
      service: 'ml-service',
      window: '30m',
    });
  });

  it('canonicalises short names and synonyms', () => {
    expect(entities('uptime of ml')).toEqual({ signal: 'availability', service: 'ml-service' });
    expect(entities('error rate of the auth service')).toEqual({
      signal: 'error_ratio',
      service: 'auth-service',
    });
  });

  it('matches services, models, signals and severities through typos', () => {
    expect(entities('status of monitorng')).toEqual({ service: 'monitoring-service' });
    expect(entities('predict iris-clasifier 5.1 3.5 1.4 0.2')).toEqual({
      model: 'iris-classifier',
      features: [5.1, 3.5, 1.4, 0.2],
    });
    expect(entities('availabilty of gatway')).toEqual({ signal: 'availability', service: 'gateway' });
    expect(entities('critcal alerts')).toEqual({ severity: 'critical' });
  });

  it('does not fuzz common words into entities', () => {
    expect(entities('show the alerts about the model')).toEqual({});
  });

  it('finds alert names, ids, silences and comments', () => {
    expect(entities('silence HighErorRatio for two hours because deploy in progress.')).toEqual({
      alert: 'HighErrorRatio',
      window: '2h',
      comment: 'deploy in progress',
    });
    expect(entities('ack alt_7f3k2 "looking into it"')).toEqual({
      alert_id: 'alt_7f3k2',
      comment: 'looking into it',
    });
    expect(entities('unsilence sil_93jd')).toEqual({ silence_id: 'sil_93jd' });
    expect(entities('mute DiskAlmostFull 1h')).toEqual({ alert: 'DiskAlmostFull', window: '1h' });
  });

  it('reads versions, aliases, features and lone numbers', () => {
    expect(entities('promote iris-classifier version three to prod')).toEqual({
      model: 'iris-classifier',
      version: 3,
      alias: 'production',
    });
    expect(entities('predict fraud-detector [6.3, -2.9, 5.6]')).toEqual({
      model: 'fraud-detector',
      features: [6.3, -2.9, 5.6],
    });
    expect(extractor.extract('promote iris-classifier 4 staging').loneNumber).toBe(4);
  });

  it('reads users and link codes', () => {
    expect(entities('history for user alice')).toEqual({ user: 'alice' });
    expect(entities("show @bob's commands")).toEqual({ user: 'bob' });
    expect(entities('what did <@U123ABC> run')).toEqual({ user: 'U123ABC' });
    expect(entities('link k7q2-m9xd')).toEqual({ code: 'K7Q2-M9XD' });
  });

  it('masks entities for the classifier', () => {
    expect(extractor.extract('p99 of ml for 2h').masked).toBe(' _signal_  of  _service_  for  _dur_ ');
  });
});
