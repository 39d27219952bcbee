import { describe, expect, it } from 'vitest';
import { EntityExtractor } from './entity-extractor.js';
import { DEFAULT_LEXICON } from './lexicon.js';
import { normalize } from './normalize.js';
import { fillSlots } from './slot-filler.js';

const extractor = new EntityExtractor({ ...DEFAULT_LEXICON, models: ['iris-classifier', 'fraud-detector'] });
const everyday = new Set(['the', 'is', 'up', 'for', 'to', 'ask', 'about', 'alerts', 'any']);
const fill = (intent: string, text: string) =>
  fillSlots(intent, extractor.extract(normalize(text)), extractor.vocabulary, everyday);

describe('fillSlots', () => {
  it('makes ids alert or silence ids by the intent, and a lone number a version or an id', () => {
    expect(fill('alerts.ack', 'ack #12').entities).toEqual({ alert_id: '12' });
    expect(fill('alerts.unsilence', 'kill silence #3').entities).toEqual({ silence_id: '3' });
    expect(fill('alerts.unsilence', 'unmute the gateway alerts').entities).toEqual({ service: 'gateway' });
    expect(fill('models.promote', 'promote iris-classifier 4').entities).toEqual({
      model: 'iris-classifier',
      version: 4,
    });
  });

  it('fills the name slot with a name found by its shape, and records it as unknown', () => {
    expect(fill('models.rollback', 'rollback payments-scorer')).toEqual({
      entities: { model: 'payments-scorer' },
      resolutions: [
        {
          key: 'model',
          written: 'payments-scorer',
          value: 'payments-scorer',
          match: 'unknown',
          suggestions: [],
        },
      ],
    });
    // A service is a DNS name; an underscore makes it an alert rule.
    expect(fill('alerts.silence', 'mute payments-api 1h').entities).toEqual({
      service: 'payments-api',
      duration: '1h',
    });
    expect(fill('alerts.silence', 'mute disk_full 1h').entities).toEqual({
      alert: 'disk_full',
      duration: '1h',
    });
  });

  it('takes an unusual word standing where a name goes, never an everyday one', () => {
    expect(fill('status', 'is billing up').entities).toEqual({ service: 'billing' });
    expect(fill('status', 'is the inventory service up').entities).toEqual({ service: 'inventory' });
    expect(fill('models.predict', 'ask ranker about 1 2').entities).toEqual({
      model: 'ranker',
      features: [1, 2],
    });
    expect(fill('alerts.list', 'any current alerts').entities).toEqual({});
    // After "a" comes a common noun; adjectives people put before "one" are not names either.
    expect(fill('alerts.silence', 'stfu ServiceDown for a bit').entities).toEqual({ alert: 'ServiceDown' });
    expect(fill('alerts.silence', 'mute the noisy one for an hour').entities).toEqual({ duration: '1h' });
    expect(fill('alerts.silence', 'mute the checkout alerts').entities).toEqual({ service: 'checkout' });
    expect(fill('alerts.silence', 'mute ServiceDown for the rest of the day').entities).toEqual({
      alert: 'ServiceDown',
    });
    expect(fill('models.promote', 'promote iris-classifier v2 to blue').entities).toMatchObject({
      alias: 'blue',
    });
  });
});
