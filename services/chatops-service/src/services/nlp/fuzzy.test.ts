import { describe, expect, it } from 'vitest';
import { allowedTypos, editDistance } from './fuzzy.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and transpositions', () => {
    expect(editDistance('ml-service', 'ml-service')).toBe(0);
    expect(editDistance('ml-servce', 'ml-service')).toBe(1);
    expect(editDistance('ml-servcie', 'ml-service')).toBe(1);
    expect(editDistance('auht', 'auth')).toBe(1);
    expect(editDistance('gatway', 'gateway')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('stops early beyond the maximum', () => {
    expect(editDistance('monitoring', 'ml', 2)).toBe(3);
    expect(editDistance('abcdef', 'uvwxyz', 1)).toBe(2);
  });

  it('allows more typos in longer words', () => {
    expect(allowedTypos(2)).toBe(0);
    expect(allowedTypos(5)).toBe(1);
    expect(allowedTypos(12)).toBe(2);
  });
});
