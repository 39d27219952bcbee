import { conceptOf } from './concepts.js';

/**
 * Turns a masked message into classifier features: words, word pairs, and character 3- and
 * 4-grams of each word, the last so that typos ("silense", "promte") still share most features.
 *
 * @example features('silence _alert_ for _dur_') // ['w:silence', 'b:^ silence', 'c: si', ...]
 */
export function features(masked: string): string[] {
  const words = masked
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9_ ]+/g, ' ')
    .split(' ')
    .filter((w) => w.length > 0);
  const out: string[] = [];
  let prev = '^';
  for (const w of words) {
    out.push(`w:${w}`, `b:${prev} ${w}`);
    const concept = conceptOf(w);
    // Twice: a concept is stronger evidence than any one character n-gram.
    if (concept) out.push(`k:${concept}`, `k:${concept}`);
    prev = w;
    if (w.startsWith('_') || w.length < 3 || /^\d/.test(w)) continue;
    const padded = ` ${w} `;
    for (let n = 3; n <= 4; n++) {
      for (let i = 0; i + n <= padded.length; i++) out.push(`c:${padded.slice(i, i + n)}`);
    }
  }
  if (words.length > 0) out.push(`b:${prev} $`);
  return out;
}
