import { describe, expect, it } from 'vitest';
import { PHRASES } from './foreign-words.js';
import { gate, type Rewrite, requiredWords, rewrite } from './rule-gate.js';
import { REAL_WORD_SLIPS } from './spoken-forms.js';
import { loadAllUtterances, loadHeldoutSets } from './utterances.js';

describe('requiredWords', () => {
  it('reads the words a pattern cannot match without', () => {
    expect(requiredWords(/\bfortnight\b/gi)).toEqual(['fortnight']);
    expect(requiredWords(/\b(?:thru|through)\s+put\b/gi)).toEqual(['thru', 'through']);
    expect(requiredWords(/(?<![\p{L}])x['’]inhuma(?![\p{L}])/giu)).toEqual(['inhuma']);
    expect(requiredWords(/^\s*gr[üu]ezi/gi)).toEqual(['gr']);
    expect(requiredWords(/\bcolou?r\b/gi)).toEqual(['colo']);
    expect(requiredWords(/\buh+\b/gi)).toEqual(['uh']);
    // An optional group is stepped over; the next required word is taken.
    expect(requiredWords(/(?:(?:kind|best)\s+)?(?:regards|thanks)\b/gi)).toEqual(['regards', 'thanks']);
    // Each alternative of the whole pattern gives its own.
    expect(requiredWords(/\bchum(?=\s+model)|(?<=\bthe\s+)chum\b/gi)).toEqual(['chum', 'chum']);
  });

  it('says nothing where it cannot be sure, so the rule always runs', () => {
    expect(requiredWords(/\b(\d+)\s+jam\b/g)).toBeUndefined(); // case-sensitive
    expect(requiredWords(/\b(?:a|an)\s+x\b/gi)).toBeUndefined(); // words of one letter
    expect(requiredWords(/\b(a|an|one|\d+)\s+ours?\b/gi)).toEqual(['our']);
    expect(requiredWords(/(?:foo)?\d+/gi)).toBeUndefined();
    expect(requiredWords(/\bfoo\b|\d+/gi)).toBeUndefined();
  });
});

describe('rewrite', () => {
  it('takes words given by hand, a two-letter word only where one begins, and a needle of one character', () => {
    const table = gate([
      [/na/g, 'NA'],
      [/(?:foo|bar)\s+x/gi, 'hit', ['x']],
      [/-ul\b/g, ' of', ['-']],
    ]);
    expect(table.needles).toEqual([undefined, ['x'], ['-']]);
    const two = gate([[/\bna\b|na(?=na)/gi, 'NA']]);
    expect(two.needles[0]).toContain('na');
    // ("banana" holds "na" only inside a word: the rule is not run there.)
    expect(rewrite('banana', two)).toBe('banana');
    expect(rewrite('na banana', two)).toBe('NA baNAna');
    expect(rewrite('foo x, silence-ul', table)).toBe('hit, silence of');
  });

  // Every rule of both tables over every labelled message: gated exactly as the plain chain.
  const texts = [
    ...Object.values(loadAllUtterances()).flat(),
    ...loadHeldoutSets().flatMap((s) => s.rows),
  ].map((u) => u.text);
  const chain = (text: string, rules: readonly Rewrite[]) => {
    let out = text;
    for (const [from, to] of rules)
      out = typeof to === 'string' ? out.replace(from, to) : out.replace(from, to);
    return out;
  };
  for (const [name, rules] of [
    ['the keyboard slips', REAL_WORD_SLIPS],
    ['the foreign phrases', PHRASES as Rewrite[]],
  ] as const)
    it(`runs ${name} only where their words are, with the same result on every labelled message`, () => {
      const table = gate(rules);
      expect(table.needles.filter(Boolean).length).toBeGreaterThan(rules.length / 2);
      for (const text of texts) expect(rewrite(text, table), text).toBe(chain(text, rules));
    });
});
