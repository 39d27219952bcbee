import { describe, expect, it } from 'vitest';
import { isTypoOf, nameForm, nearNames, resolveName, segments } from './name-resolver.js';

describe('name resolution', () => {
  it('splits names into their parts', () => {
    expect(segments('HighLatencyP99')).toEqual(['high', 'latency', 'p99']);
    expect(segments('ml-service')).toEqual(['ml', 'service']);
    expect(segments('fraud-model@prod')).toEqual(['fraud', 'model', 'prod']);
  });

  it('calls a slip a typo, but not a word or a number put in place of another', () => {
    expect(isTypoOf('HighErorRatio', 'HighErrorRatio')).toBe(true);
    expect(isTypoOf('ml-servcie', 'ml-service')).toBe(true);
    expect(isTypoOf('ServiceDwn', 'ServiceDown')).toBe(true);
    expect(isTypoOf('iris-clasifier', 'iris-classifier')).toBe(true);
    expect(isTypoOf('HighErrorRate', 'HighErrorRatio')).toBe(false);
    expect(isTypoOf('HighLatencyP95', 'HighLatencyP99')).toBe(false);
    expect(isTypoOf('fraud-model', 'fraud-detector')).toBe(false);
  });

  it('resolves exact forms and single clear typos, and nothing when two names are as near', () => {
    const forms = [nameForm('ml-service', 'ml-service', true), nameForm('ml', 'ml-service', false)];
    expect(resolveName('ML', forms)).toEqual({ value: 'ml-service', match: 'exact' });
    expect(resolveName('ml-srvice', forms)).toEqual({ value: 'ml-service', match: 'typo' });
    expect(resolveName('nl', forms)).toBeUndefined();
    const twins = [nameForm('alpha-one', 'alpha-one', true), nameForm('alpha-ont', 'alpha-ont', true)];
    expect(resolveName('alpha-onx', twins)).toBeUndefined();
  });

  it('suggests the nearest known names, or those sharing a part', () => {
    const alerts = ['HighErrorRatio', 'HighLatencyP99', 'ServiceDown', 'ErrorBudgetBurnFast'];
    expect(nearNames('HighErrorRate', alerts)).toEqual(['HighErrorRatio']);
    expect(nearNames('fraud-model', ['iris-classifier', 'fraud-detector'])).toEqual(['fraud-detector']);
    expect(nearNames('payments-scorer', ['iris-classifier', 'fraud-detector'])).toEqual([]);
  });
});
