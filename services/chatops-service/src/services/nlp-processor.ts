import { EntityExtractor } from './nlp/entity-extractor.js';
import { features } from './nlp/features.js';
import { type Entities, entitiesForIntent, type Lexicon } from './nlp/lexicon.js';
import { NaiveBayes } from './nlp/naive-bayes.js';
import { parseStrict } from './nlp/strict-syntax.js';

export interface Interpretation {
  intent: string;
  confidence: number;
  entities: Entities;
  /** True when the message used the strict `/ops <intent> ...` form. */
  strict: boolean;
  /** True when the processor is not sure enough and should ask back with `alternatives`. */
  clarify: boolean;
  alternatives: { intent: string; confidence: number }[];
}

export interface TrainingExample {
  text: string;
  intent: string;
}

const SLASH = /^\/ops(?:\s+|$)/i;
const LEADING_MENTION = /^\s*<@[A-Z0-9]+(?:\|[^>]*)?>[\s,:]*/;
const CONFIRMATION = /^(?:\/ops\s+)?(confirm|cancel)\s+([a-z0-9]{4,16})\s*$/i;

/**
 * Message → intent, entities and confidence. The classifier is trained from labelled examples when
 * the processor is built (a few milliseconds); the entity lexicon can be swapped as the registries
 * change without retraining, because the classifier only ever sees entity placeholders.
 *
 * @example
 * const nlp = NlpProcessor.train(examples, lexicon);
 * nlp.interpret("what's the p99 of ml over the last 30 minutes?")
 * // { intent: 'metrics', entities: { service: 'ml-service', signal: 'latency_p99', window: '30m' }, ... }
 */
export class NlpProcessor {
  private constructor(
    private readonly classifier: NaiveBayes,
    private readonly extractor: EntityExtractor,
    readonly threshold: number,
  ) {}

  static train(examples: readonly TrainingExample[], lexicon: Lexicon, threshold = 0.5): NlpProcessor {
    const extractor = new EntityExtractor(lexicon);
    const classifier = NaiveBayes.train(
      examples.map((e) => ({ label: e.intent, features: features(extractor.extract(e.text).masked) })),
    );
    return new NlpProcessor(classifier, extractor, threshold);
  }

  /** The same classifier over a fresh vocabulary of services, models, aliases and alerts. */
  withLexicon(lexicon: Lexicon): NlpProcessor {
    return new NlpProcessor(this.classifier, new EntityExtractor(lexicon), this.threshold);
  }

  get intents(): readonly string[] {
    return this.classifier.labels;
  }

  interpret(message: string): Interpretation {
    const text = message.replace(LEADING_MENTION, '').trim();
    const confirmation = CONFIRMATION.exec(text);
    if (confirmation) {
      return certain(confirmation[1]!.toLowerCase(), { code: confirmation[2]!.toUpperCase() }, true);
    }
    const slash = SLASH.exec(text);
    const body = slash ? text.slice(slash[0].length) : text;
    if (slash) {
      if (body.trim() === '') return certain('help', {}, true);
      const parsed = parseStrict(body, this.extractor);
      if (parsed) return certain(parsed.intent, parsed.entities, true);
    }
    const found = this.extractor.extract(body);
    const ranked = this.classifier.rank(features(found.masked));
    const top = ranked[0]!;
    return {
      intent: top.label,
      confidence: round(top.probability),
      entities: entitiesForIntent(top.label, found.entities, found.loneNumber),
      strict: false,
      clarify: top.probability < this.threshold || top.label === 'unknown',
      alternatives: ranked
        .filter((r) => r.label !== 'unknown')
        .slice(0, 3)
        .map((r) => ({ intent: r.label, confidence: round(r.probability) })),
    };
  }
}

function certain(intent: string, entities: Entities, strict: boolean): Interpretation {
  return {
    intent,
    confidence: 1,
    entities,
    strict,
    clarify: false,
    alternatives: [{ intent, confidence: 1 }],
  };
}

function round(p: number): number {
  return Math.round(p * 1000) / 1000;
}
