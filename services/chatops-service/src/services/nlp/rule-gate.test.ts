import { describe, expect, it } from 'vitest';
import { CUED_TABLES, CUES, PHRASES } from './foreign-words.js';
import { gate, mayMatch, type Rewrite, requiredWords, rewrite } from './rule-gate.js';
import { REAL_WORD_SLIPS } from './spoken-forms.js';
import { loadAllUtterances, loadHeldoutSets } from './utterances.js';

describe('requiredWords', () => {
  it('reads the words a pattern cannot match without', () => {
    expect(requiredWords(/\bfortnight\b/gi)).toEqual(['fortnight']);
    expect(requiredWords(/\b(?:thru|through)\s+put\b/gi)).toEqual(['thru', 'through']);
    expect(requiredWords(/(?<![\p{L}])x['’]inhuma(?![\p{L}])/giu)).toEqual(['inhuma']);
    // Of several words a match needs, the longest is indexed by (all are tested).
    expect(requiredWords(/^\s*gr[üu]ezi/gi)).toEqual(['ezi']);
    expect(requiredWords(/(?<![\w-])(\d+)\s+(?:d2aye2|da2ay2)(?![\w-])/gi)).toEqual(['d2aye2', 'da2ay2']);
    // An alternative is read as a sequence of its own; a positive lookaround's words are required.
    expect(requiredWords(/(?<![\p{L}])(?:u\s+menya\s+est|est\s+li)(?=\s+dostup)/giu)).toEqual([
      'menya',
      'est',
    ]);
    expect(requiredWords(/\b(p\d\d)(?=latency\b|errors?\b)/gi)).toEqual(['latency', 'error']);
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
    const texts = (i: number) => table.required[i]?.map((set) => set.map((n) => n.text));
    expect([0, 1, 2].map(texts)).toEqual([undefined, [['x']], [['-']]]);
    // ("banana" holds "na" only inside a word: a rule that wants it where a word starts is not run.)
    const start = gate([[/\bna\b/gi, 'NA']]);
    expect(start.required[0]).toEqual([[{ text: 'na', wordStart: true }]]);
    expect(rewrite('banana', start)).toBe('banana');
    expect(rewrite('na banana', start)).toBe('NA banana');
    // Where the pattern lets a letter stand before it ("kh?ob": after "k", or inside "khob"), it is
    // sought anywhere.
    const inside = gate([
      [/\bna\b|na(?=na)/gi, 'NA'],
      [/(?<![\p{L}])kh?ob(?![\p{L}])/giu, 'thanks'],
    ]);
    expect(inside.required[1]).toEqual([[{ text: 'ob', wordStart: false }]]);
    expect(rewrite('banana', inside)).toBe('baNAna');
    expect(rewrite('na banana, khob', inside)).toBe('NA baNAna, thanks');
    expect(rewrite('foo x, silence-ul', table)).toBe('hit, silence of');
  });

  it('runs a rule only where every word it needs is, not only the one it is indexed by', () => {
    const table = gate([[/\bsilence\s+(\w+)\s+please\b/gi, 'mute $1']]);
    expect(table.required[0]!.map((set) => set[0]!.text)).toEqual(['silence', 'please']);
    expect(rewrite('silence it now', table)).toBe('silence it now');
    expect(rewrite('silence it please', table)).toBe('mute it');
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
    ['the foreign phrases', PHRASES],
    ...CUED_TABLES.map((table, i) => [`the phrases of cued language ${i + 1}`, table.rules] as const),
  ] as const)
    it(`runs ${name} only where their words are, with the same result on every labelled message`, () => {
      const table = gate(rules);
      expect(table.required.filter(Boolean).length).toBeGreaterThan(rules.length * 0.6);
      for (const text of texts) expect(rewrite(text, table), text).toBe(chain(text, rules));
    });

  it('keeps every language cue a labelled message holds among those that may match it', () => {
    let cued = 0;
    for (const text of texts) {
      const may = mayMatch(text, CUES);
      CUES.rules.forEach(([cue], i) => {
        if (!cue.test(text)) return;
        cued++;
        expect(may, `${cue.source.slice(0, 40)} in ${text}`).toContain(i);
      });
    }
    expect(cued).toBeGreaterThan(300);
  });
});
