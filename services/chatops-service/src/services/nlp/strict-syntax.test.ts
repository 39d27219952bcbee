import { describe, expect, it } from 'vitest';
import { EntityExtractor } from './entity-extractor.js';
import { DEFAULT_LEXICON } from './lexicon.js';
import { parseStrict } from './strict-syntax.js';

const extractor = new EntityExtractor(DEFAULT_LEXICON);
const parse = (text: string) => {
  const parsed = parseStrict(text, extractor, new Set());
  return parsed && { intent: parsed.intent, entities: parsed.entities };
};

describe('parseStrict', () => {
  it('parses each command form', () => {
    expect(parse('metrics ml-service latency_p99 30m')).toEqual({
      intent: 'metrics',
      entities: { service: 'ml-service', signal: 'latency_p99', window: '30m' },
    });
    expect(parse('alerts')).toEqual({ intent: 'alerts.list', entities: {} });
    expect(parse('alerts critical')).toEqual({ intent: 'alerts.list', entities: { severity: 'critical' } });
    expect(parse('alerts silence HighLatency 2h')).toEqual({
      intent: 'alerts.silence',
      entities: { alert: 'HighLatency', duration: '2h' },
    });
    expect(parse('alerts.ack alt_12')).toEqual({ intent: 'alerts.ack', entities: { alert_id: 'alt_12' } });
    expect(parse('alerts unsilence sil_9')).toEqual({
      intent: 'alerts.unsilence',
      entities: { silence_id: 'sil_9' },
    });
    expect(parse('models promote iris-classifier 3 production')).toEqual({
      intent: 'models.promote',
      entities: { model: 'iris-classifier', version: 3, alias: 'production' },
    });
    expect(parse('models predict iris-classifier 5.1,3.5,1.4,0.2')).toEqual({
      intent: 'models.predict',
      entities: { model: 'iris-classifier', features: [5.1, 3.5, 1.4, 0.2] },
    });
    expect(parse('history bob')).toEqual({ intent: 'history', entities: { user: 'bob' } });
    expect(parse('link ab12-cd34')).toEqual({ intent: 'link', entities: { code: 'AB12-CD34' } });
  });

  it('takes an unknown leading argument as the main parameter', () => {
    expect(parse('alerts silence disk_full 1h')).toEqual({
      intent: 'alerts.silence',
      entities: { alert: 'disk_full', duration: '1h' },
    });
    expect(parse('models rollback new-model')).toEqual({
      intent: 'models.rollback',
      entities: { model: 'new-model' },
    });
  });

  it('says which names it does not know, with the known ones near them', () => {
    expect(parseStrict('models rollback iris-clasifer', extractor, new Set())?.resolutions).toEqual([
      {
        key: 'model',
        written: 'iris-clasifer',
        value: 'iris-classifier',
        match: 'typo',
        suggestions: [],
      },
    ]);
    expect(parseStrict('status nowhere', extractor, new Set())?.resolutions).toEqual([
      { key: 'service', written: 'nowhere', value: 'nowhere', match: 'unknown', suggestions: [] },
    ]);
  });

  it('returns undefined for an unknown verb or sub-command', () => {
    expect(parse("what's up")).toBeUndefined();
    expect(parse('alerts.delete x')).toBeUndefined();
  });
});

describe('parseStrict positional service', () => {
  it('takes an unknown first word as the service, not a known signal', () => {
    expect(parse('metrics nowhere-service latency_p99 5m')).toEqual({
      intent: 'metrics',
      entities: { service: 'nowhere-service', signal: 'latency_p99', window: '5m' },
    });
    expect(parse('metrics p99 ml 30m')?.entities).toEqual({
      service: 'ml-service',
      signal: 'latency_p99',
      window: '30m',
    });
  });
});
