import { findDurations } from './durations.js';
import { allowedTypos, editDistance } from './fuzzy.js';
import {
  ALIAS_SYNONYMS,
  type Entities,
  type Lexicon,
  SEVERITY_SYNONYMS,
  SIGNAL_SYNONYMS,
} from './lexicon.js';
import { findPatternEntities } from './pattern-entities.js';
import { SpanSet, type Token, tokenize } from './text-spans.js';

export interface Extraction {
  entities: Entities;
  /** The message lower-cased with entities replaced by placeholders, for the classifier. */
  masked: string;
  /** A single integer not claimed by anything else: a version for the intents that take one. */
  loneNumber?: number;
}

interface Candidate {
  form: string;
  value: string;
  fuzzy: boolean;
}

// Words a fuzzy match must never turn into an entity (they are one typo away from one).
const NEVER_FUZZY = new Set([
  'error',
  'alert',
  'alerts',
  'model',
  'models',
  'status',
  'math',
  'into',
  'staying',
]);
const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7 };
const NUMBER = /^\d+(?:\.\d+)?$/;
const NUMBER_GAP = /^[\s,;[\]()]*-?$/;

/** The value of the candidate equal to the word, else of the nearest one within the allowed typos. */
function closest(candidates: readonly Candidate[], word: string): string | undefined {
  let best: Candidate | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    if (c.form === word) return c.value;
    if (!c.fuzzy || NEVER_FUZZY.has(word) || word.length < 4) continue;
    const max = Math.min(allowedTypos(c.form.length), allowedTypos(word.length));
    if (max === 0) continue;
    const d = editDistance(word, c.form, max);
    if (d <= max && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best?.value;
}

/**
 * Finds entities in a message against the live lexicon: exact names first, then names within a
 * typo or two, canonicalised (`ml` → `ml-service`, `p99` → `latency_p99`, `for two hours` → `2h`).
 *
 * @example new EntityExtractor(DEFAULT_LEXICON).extract('p99 of ml over the last 30 minutes').entities
 * // { service: 'ml-service', signal: 'latency_p99', window: '30m' }
 */
export class EntityExtractor {
  private readonly phrases = new Map<string, { kind: keyof Entities; value: string }>();
  private readonly fuzzy: { kind: keyof Entities; candidates: Candidate[] }[];

  constructor(lexicon: Lexicon) {
    const services: Candidate[] = [];
    for (const name of lexicon.services) {
      services.push({ form: name, value: name, fuzzy: true });
      const short = name.replace(/-service$/, '');
      if (short !== name) {
        services.push({ form: short, value: name, fuzzy: short.length >= 4 });
        this.phrases.set(`${short} service`, { kind: 'service', value: name });
      }
    }
    const models: Candidate[] = [];
    const heads = new Map<string, string[]>();
    for (const name of lexicon.models) {
      models.push({ form: name, value: name, fuzzy: true });
      const head = name.split('-')[0]!;
      if (head !== name && head.length >= 4) heads.set(head, [...(heads.get(head) ?? []), name]);
    }
    for (const [head, names] of heads)
      if (names.length === 1) models.push({ form: head, value: names[0]!, fuzzy: false });
    const signals: Candidate[] = [];
    for (const canonical of lexicon.signals) {
      signals.push({ form: canonical, value: canonical, fuzzy: canonical.length >= 6 });
      for (const phrase of SIGNAL_SYNONYMS[canonical] ?? []) {
        if (phrase.includes(' ')) this.phrases.set(phrase, { kind: 'signal', value: canonical });
        else signals.push({ form: phrase, value: canonical, fuzzy: phrase.length >= 6 });
      }
    }
    const alerts = lexicon.alerts.map((a) => ({ form: a.toLowerCase(), value: a, fuzzy: true }));
    const severities = Object.entries(SEVERITY_SYNONYMS).map(([form, value]) => ({
      form,
      value,
      fuzzy: form.length >= 6,
    }));
    const aliases: Candidate[] = lexicon.aliases.map((a) => ({ form: a, value: a, fuzzy: a.length >= 6 }));
    for (const [form, value] of Object.entries(ALIAS_SYNONYMS)) aliases.push({ form, value, fuzzy: false });
    // Order matters: a token is claimed by the first kind that matches it.
    this.fuzzy = [
      { kind: 'signal', candidates: signals },
      { kind: 'service', candidates: services },
      { kind: 'model', candidates: models },
      { kind: 'alert', candidates: alerts },
      { kind: 'severity', candidates: severities },
      { kind: 'alias', candidates: aliases },
    ];
  }

  extract(text: string): Extraction {
    const lower = text.toLowerCase();
    // Offsets are shared between the two copies; if lower-casing changed the length, use one copy.
    const original = lower.length === text.length ? text : lower;
    const spans = new SpanSet();
    const entities: Entities = findPatternEntities(original, spans);
    if (entities.alert !== undefined) entities.alert = this.canonicalAlert(entities.alert);
    for (const d of findDurations(lower)) {
      if (!spans.isFree(d.start, d.end)) continue;
      spans.take(d.start, d.end, 'dur');
      entities.window ??= d.value;
    }
    const tokens = tokenize(lower).filter((t) => spans.isFree(t.start, t.end));
    this.matchPhrases(tokens, entities, spans);
    this.matchVersion(tokens, entities, spans);
    const free = tokens.filter((t) => spans.isFree(t.start, t.end));
    for (const token of free) this.matchToken(token, entities, spans);
    const loneNumber = this.matchNumbers(
      lower,
      tokens.filter((t) => spans.isFree(t.start, t.end)),
      entities,
      spans,
    );
    if (entities.signal === undefined) {
      const bare = tokens.find((t) => t.text === 'latency' && spans.isFree(t.start, t.end));
      if (bare) {
        entities.signal = 'latency_p99';
        spans.take(bare.start, bare.end, 'signal');
      }
    }
    const out: Extraction = { entities, masked: spans.mask(lower) };
    if (loneNumber !== undefined) out.loneNumber = loneNumber;
    return out;
  }

  private matchPhrases(tokens: Token[], entities: Entities, spans: SpanSet): void {
    for (let i = 0; i < tokens.length; i++) {
      for (let n = Math.min(4, tokens.length - i); n >= 2; n--) {
        const phrase = tokens
          .slice(i, i + n)
          .map((t) => t.text)
          .join(' ');
        const hit = this.phrases.get(phrase);
        if (!hit) continue;
        const start = tokens[i]!.start;
        const end = tokens[i + n - 1]!.end;
        if (!spans.isFree(start, end)) continue;
        spans.take(start, end, hit.kind);
        (entities as Record<string, unknown>)[hit.kind] ??= hit.value;
        i += n - 1;
        break;
      }
    }
  }

  private matchVersion(tokens: Token[], entities: Entities, spans: SpanSet): void {
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      const compact = /^v(\d+)$/.exec(t.text);
      if (compact) {
        entities.version ??= Number(compact[1]);
        spans.take(t.start, t.end, 'ver');
        continue;
      }
      if (!/^(?:version|ver|revision|rev)$/.test(t.text)) continue;
      const next = tokens[i + 1];
      const n = next ? (/^\d+$/.test(next.text) ? Number(next.text) : NUMBER_WORDS[next.text]) : undefined;
      if (next && n !== undefined) {
        entities.version ??= n;
        spans.take(t.start, next.end, 'ver');
        i++;
      }
    }
  }

  private matchToken(token: Token, entities: Entities, spans: SpanSet): void {
    for (const { kind, candidates } of this.fuzzy) {
      const value = closest(candidates, token.text);
      if (value === undefined) continue;
      spans.take(token.start, token.end, kind);
      (entities as Record<string, unknown>)[kind] ??= value;
      return;
    }
    if (/^(?:alias|tag)$/.test(token.text)) spans.take(token.start, token.end, 'aliasword');
  }

  /** The known alert name closest to a CamelCase name in the text, or the name as written. */
  private canonicalAlert(name: string): string {
    const alerts = this.fuzzy.find((f) => f.kind === 'alert')!.candidates;
    return closest(alerts, name.toLowerCase()) ?? name;
  }

  /** Runs of two or more numbers are feature vectors; a lone integer may be a version. */
  private matchNumbers(
    lower: string,
    tokens: Token[],
    entities: Entities,
    spans: SpanSet,
  ): number | undefined {
    const numeric = tokens.filter((t) => NUMBER.test(t.text));
    const runs: Token[][] = [];
    for (const t of numeric) {
      const run = runs[runs.length - 1];
      const prev = run?.[run.length - 1];
      if (run && prev && NUMBER_GAP.test(lower.slice(prev.end, t.start))) run.push(t);
      else runs.push([t]);
    }
    let lone: number | undefined;
    for (const run of runs) {
      const values = run.map((t) => Number(t.text) * (lower[t.start - 1] === '-' ? -1 : 1));
      if (run.length >= 2 && entities.features === undefined) {
        entities.features = values;
        spans.take(run[0]!.start, run[run.length - 1]!.end, 'feat');
      } else if (run.length === 1 && Number.isInteger(values[0]) && lone === undefined) {
        lone = values[0];
        spans.take(run[0]!.start, run[0]!.end, 'num');
      }
    }
    return lone;
  }
}
