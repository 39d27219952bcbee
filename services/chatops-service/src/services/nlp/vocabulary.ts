import {
  ALIAS_PHRASES,
  ALIAS_SYNONYMS,
  type Lexicon,
  SERVICE_PHRASES,
  SERVICE_SYNONYMS,
  SEVERITY_SYNONYMS,
  SIGNAL_SYNONYMS,
} from './lexicon.js';
import { abbreviated, type NameForm, nameForm, resolveName, segments } from './name-resolver.js';

// Chat repeats its words: resolving each distinct word once per vocabulary saves the edit
// distances (the largest cost of reading a message). Bounded, and dropped when full.
const MEMO_LIMIT = 20_000;

/** The kinds of names matched against the live lexicon, in the order a word is tried. */
export const NAME_KINDS = ['signal', 'service', 'model', 'alert', 'severity', 'alias'] as const;
export type NameKind = (typeof NAME_KINDS)[number];

export interface Phrase {
  kind: NameKind;
  value: string;
}

/**
 * Every spelling of every known name, by kind, built once per lexicon: full names, short forms
 * (`ml` for ml-service, `iris` for iris-classifier when no other model starts so), synonyms, and
 * phrases of several words (`ml service`, `high error ratio`, `p99 latency`).
 */
export class Vocabulary {
  readonly forms: Record<NameKind, NameForm[]>;
  readonly phrases = new Map<string, Phrase>();
  /** The kind each exact spelling (lower-cased) is a form of, the first kind winning. */
  readonly exact = new Map<string, NameKind>();
  /** The names themselves, by kind, for replies that list what is known. */
  readonly names: Record<'service' | 'model' | 'alert' | 'alias', readonly string[]>;

  constructor(readonly lexicon: Lexicon) {
    this.names = {
      service: lexicon.services,
      model: lexicon.models,
      alert: lexicon.alerts,
      alias: lexicon.aliases,
    };
    this.forms = {
      signal: this.signalForms(lexicon.signals),
      service: this.serviceForms(lexicon.services),
      model: modelForms(lexicon.models),
      alert: this.alertForms(lexicon.alerts),
      // Plurals too: "sev1s right now?", "any warns".
      severity: Object.entries(SEVERITY_SYNONYMS).flatMap(([f, v]) =>
        [f, ...(f.endsWith('s') ? [] : [`${f}s`])].map((form) => nameForm(form, v, form.length >= 6)),
      ),
      alias: [
        ...lexicon.aliases.map((a) => nameForm(a, a, a.length >= 6)),
        ...Object.entries(ALIAS_SYNONYMS).map(([f, v]) => nameForm(f, v, false)),
      ],
    };
    // "the churn predictor", "fraud detector": a model's name said as words.
    for (const name of lexicon.models) {
      const parts = segments(name);
      if (parts.length >= 2) this.phrase(parts.join(' '), 'model', name);
    }
    for (const [phrase, alias] of Object.entries(ALIAS_PHRASES))
      if (lexicon.aliases.includes(alias)) this.phrase(phrase, 'alias', alias);
    for (const kind of NAME_KINDS)
      for (const f of this.forms[kind]) if (!this.exact.has(f.lower)) this.exact.set(f.lower, kind);
  }

  private readonly memo = new Map<string, ReturnType<typeof resolveName> | null>();

  /** `resolveName` for one kind, remembered per word. */
  resolve(kind: NameKind, written: string): ReturnType<typeof resolveName> {
    const key = `${kind}:${written.toLowerCase()}`;
    const known = this.memo.get(key);
    if (known !== undefined) return known ?? undefined;
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
    // "iris-something", "fraud-whatever": a name half remembered, known by the part remembered.
    const vague = VAGUE_TAIL.exec(written);
    const hit =
      resolveName(vague ? vague[1]! : written, this.forms[kind]) ??
      (kind === 'service' || kind === 'model' || kind === 'alert'
        ? (abbreviated(written, this.names[kind]) ?? this.variant(kind, written))
        : undefined);
    this.memo.set(key, hit ?? null);
    return hit;
  }

  /**
   * A known name said with its parts in another order, a part in the plural, or a word added that
   * says only what kind of thing it is ("ErrorBudgetFastBurn", "HighLatencyP99s", "auth-services",
   * "gateway-service", "ml-svcs", "fraud-detector-model", "model-hosting-service"):
   * read as that name, as a typo is, so the reply says which name was taken.
   */
  private variant(kind: 'service' | 'model' | 'alert', written: string): ReturnType<typeof resolveName> {
    const generic = GENERIC_PARTS[kind];
    const parts = (name: string) =>
      segments(name)
        .map((p) => (p.length > 3 ? p.replace(/s$/, '') : p))
        .filter((p) => !generic.has(p));
    const said = parts(written);
    if (said.length === 0) return undefined;
    const key = [...said].sort().join(' ');
    // (A model only by its whole name: "fraud-model" is another model than fraud-detector, as
    // people name theirs, where "fraud-detector-model" is that one.)
    const candidates =
      kind === 'model' ? this.names.model.map((n) => ({ form: n, value: n })) : this.forms[kind];
    for (const { form, value } of candidates) {
      const own = parts(form);
      if (own.length > 0 && [...own].sort().join(' ') === key) return { value, match: 'typo' };
    }
    // ("model-hosting-service": with its kind word dropped, a phrase of two words or more that
    // names it; "predictions-api" stays a name of its own.)
    const dropped = segments(written).length > said.length;
    const phrase = dropped && said.length >= 2 ? this.phrases.get(said.join(' ')) : undefined;
    return phrase?.kind === kind ? { value: phrase.value, match: 'typo' } : undefined;
  }

  private serviceForms(services: readonly string[]): NameForm[] {
    const out: NameForm[] = [];
    for (const name of services) {
      out.push(nameForm(name, name, true));
      const short = name.replace(/-(?:service|svc|api)$/, '');
      if (short === name) continue;
      out.push(nameForm(short, name, short.length >= 4));
      for (const word of ['service', 'svc', 'server']) this.phrase(`${short} ${word}`, 'service', name);
    }
    for (const [form, value] of Object.entries(SERVICE_SYNONYMS))
      if (services.includes(value)) out.push(nameForm(form, value, false));
    for (const [phrase, value] of Object.entries(SERVICE_PHRASES))
      if (services.includes(value)) this.phrase(phrase, 'service', value);
    return out;
  }

  private signalForms(signals: readonly string[]): NameForm[] {
    const out: NameForm[] = [];
    for (const canonical of signals) {
      out.push(nameForm(canonical, canonical, canonical.length >= 6));
      for (const phrase of SIGNAL_SYNONYMS[canonical] ?? []) {
        if (phrase.includes(' ')) this.phrase(phrase, 'signal', canonical);
        else out.push(nameForm(phrase, canonical, phrase.length >= 6));
      }
    }
    return out;
  }

  private alertForms(alerts: readonly string[]): NameForm[] {
    const out: NameForm[] = [];
    for (const name of alerts) {
      out.push(nameForm(name, name, true));
      // "high error ratio" for HighErrorRatio; two-word names ("service down") are everyday words.
      const parts = segments(name);
      if (parts.length >= 3) this.phrase(parts.join(' '), 'alert', name);
    }
    return out;
  }

  private phrase(text: string, kind: NameKind, value: string): void {
    if (!this.phrases.has(text)) this.phrases.set(text, { kind, value });
  }
}

// Words that say only what kind of thing a name is.
const GENERIC_PARTS = {
  service: new Set(['service', 'svc', 'server']),
  model: new Set(['model']),
  alert: new Set(['alert']),
} as const;
const VAGUE_TAIL = /^([a-z][a-z0-9]{3,})[-_](?:something|whatever|thing|thingy)$/i;

function modelForms(models: readonly string[]): NameForm[] {
  const out = models.map((m) => nameForm(m, m, true));
  // A model's first part stands for it when no other model shares it: `iris` → iris-classifier.
  const heads = new Map<string, string[]>();
  for (const name of models) {
    const head = name.split(/[-_.]/)[0]!;
    if (head !== name && head.length >= 4) heads.set(head, [...(heads.get(head) ?? []), name]);
  }
  // A head of five letters or more may be mistyped ("chrun", "fruad"); a shorter one ("iris") may not.
  for (const [head, names] of heads)
    if (names.length === 1) out.push(nameForm(head, names[0]!, head.length >= 5));
  return out;
}
