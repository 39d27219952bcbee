import { describe, expect, it } from 'vitest';
import { EverydayWords } from './everyday-words.js';

const words = EverydayWords.fromExamples([
  { text: 'show the error rate', intent: 'metrics', entities: {} },
  { text: 'any error on the gateway', intent: 'metrics', entities: { service: 'gateway' } },
  { text: 'is billing up', intent: 'status', entities: { service: 'billing' } },
  { text: 'is the gatway up', intent: 'status', entities: { service: 'gateway' } },
  { text: 'the past hour', intent: 'metrics', entities: {} },
  { text: 'the past day', intent: 'metrics', entities: {} },
  { text: 'list', intent: 'models.list', entities: {} },
  { text: 'the list please', intent: 'models.list', entities: {} },
  { text: 'alerts please', intent: 'alerts.list', entities: {} },
]);

describe('EverydayWords', () => {
  it('counts the words of chat, leaving entity values and their typos out', () => {
    expect(words.count('error')).toBe(2);
    expect(words.has('billing')).toBe(false);
    expect(words.has('gatway')).toBe(false);
    expect(words.has('the')).toBe(true);
  });

  it('corrects a slip to the common word, but not into another word', () => {
    expect(words.correct('eror')).toBe('error');
    expect(words.correct('teh')).toBeUndefined();
    expect(words.correct('pasta')).toBeUndefined();
    expect(words.correct('hist')).toBeUndefined();
  });

  it('knows which single words are whole commands', () => {
    expect(words.aloneIntent('alerts')).toBe('alerts.list');
    expect(words.aloneIntent('alrets')).toBe('alerts.list');
    expect(words.aloneIntent('check')).toBeUndefined();
  });

  it('round-trips through its stored form', () => {
    const again = EverydayWords.fromJSON(JSON.parse(JSON.stringify(words.toJSON())));
    expect(again.correct('eror')).toBe('error');
    expect(again.aloneIntent('list')).toBe('models.list');
  });
});
