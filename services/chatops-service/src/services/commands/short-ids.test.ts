import { describe, expect, it } from 'vitest';
import { matchIds, shortIds } from './short-ids.js';

describe('short ids', () => {
  const fingerprints = ['3fa9c1d2e4b5a6f7', '3fb0aa00bb11cc22', '12ab34cd56ef7890'];
  const silences = [
    'sil_mf3k2x1a0123456789abcdef',
    'sil_mf3k2y9b00aa11bb22cc33dd',
    'sil_mf9aa1zz11223344aabbccdd',
  ];

  it('abbreviates each id to the shortest prefix no other id shares, four characters at least', () => {
    expect(shortIds(fingerprints)).toEqual(['3fa9', '3fb0', '12ab']);
    expect(shortIds(silences)).toEqual(['mf3k2x', 'mf3k2y', 'mf9a']);
    expect(shortIds(['abc'])).toEqual(['abc']);
  });

  it('reads ids back from any prefix, with or without the type prefix or a number sign', () => {
    expect(matchIds('3fa9', fingerprints)).toEqual(['3fa9c1d2e4b5a6f7']);
    expect(matchIds('#3FA', fingerprints)).toEqual(['3fa9c1d2e4b5a6f7']);
    expect(matchIds('3f', fingerprints)).toEqual(['3fa9c1d2e4b5a6f7', '3fb0aa00bb11cc22']);
    expect(matchIds('12', fingerprints)).toEqual(['12ab34cd56ef7890']);
    expect(matchIds('99', fingerprints)).toEqual([]);
    expect(matchIds('mf9a', silences)).toEqual(['sil_mf9aa1zz11223344aabbccdd']);
    expect(matchIds('sil_mf3k2y', silences)).toEqual(['sil_mf3k2y9b00aa11bb22cc33dd']);
    expect(matchIds(silences[0]!, silences)).toEqual([silences[0]]);
  });
});
