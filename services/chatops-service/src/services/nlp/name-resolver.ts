import { allowedTypos, editDistance } from './fuzzy.js';

/** How a name as written became the value used. */
export type MatchKind = 'exact' | 'typo' | 'unknown';

/** A name from the message checked against the live names of its kind. */
export interface Resolution {
  key: 'service' | 'model' | 'alert' | 'alias';
  written: string;
  value: string;
  match: MatchKind;
  /** Known names close to an unknown one, nearest first. */
  suggestions: string[];
}

/** One spelling that stands for a known name: the name itself, a short form, a synonym. */
export interface NameForm {
  /** As written in the vocabulary; its letter case marks the parts of CamelCase names. */
  form: string;
  lower: string;
  value: string;
  /** Whether a misspelling of this form may still be read as it. */
  typos: boolean;
}

/** A form of a known name, e.g. `nameForm('ml', 'ml-service', false)`. */
export function nameForm(form: string, value: string, typos: boolean): NameForm {
  return { form, lower: form.toLowerCase(), value, typos };
}

/**
 * The parts a name is made of: `ml-service` → ml, service; `HighErrorRatio` → high, error, ratio.
 *
 * @example segments('HighLatencyP99') // ['high', 'latency', 'p99']
 */
export function segments(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s._@-]+/)
    .filter((s) => s.length > 0);
}

const squash = (s: string) => s.toLowerCase().replace(/[\s._-]+/g, '');

/**
 * Whether `written` is `known` with a typo or two, rather than another name: the whole may carry
 * the typos its length allows, and each part of the known name only those its own length allows.
 * So `HighErorRatio` is HighErrorRatio mistyped, but `HighErrorRate` (the word "ratio" replaced by
 * "rate") and `HighLatencyP95` (another percentile) are different names.
 *
 * @example isTypoOf('ml-servcie', 'ml-service') // true
 * @example isTypoOf('HighErrorRate', 'HighErrorRatio') // false
 */
export function isTypoOf(written: string, known: string): boolean {
  const w = squash(written);
  const k = squash(known);
  if (w === k) return true;
  const budget = Math.min(allowedTypos(w.length), allowedTypos(k.length));
  if (budget === 0 || editDistance(w, k, budget) > budget) return false;
  const parts = segments(known);
  if (parts.length <= 1) return true;
  // best[j]: fewest edits spelling the parts so far with w[0..j), each part within its own budget.
  let best = new Array<number>(w.length + 1).fill(Number.POSITIVE_INFINITY);
  best[0] = 0;
  for (const part of parts) {
    const own = allowedTypos(part.length);
    const next = new Array<number>(w.length + 1).fill(Number.POSITIVE_INFINITY);
    for (let from = 0; from <= w.length; from++) {
      if (!Number.isFinite(best[from]!)) continue;
      const lo = Math.max(from, from + part.length - own);
      const hi = Math.min(w.length, from + part.length + own);
      for (let to = lo; to <= hi; to++) {
        const d = editDistance(w.slice(from, to), part, own);
        if (d <= own) next[to] = Math.min(next[to]!, best[from]! + d);
      }
    }
    best = next;
  }
  return best[w.length]! <= budget;
}

/**
 * The known value a written name stands for: its exact form, else the one form it is clearly a
 * typo of (two equally near forms of different names resolve to neither).
 */
export function resolveName(
  written: string,
  forms: readonly NameForm[],
): { value: string; match: 'exact' | 'typo' } | undefined {
  const w = written.toLowerCase();
  for (const f of forms) if (f.lower === w) return { value: f.value, match: 'exact' };
  let best: { value: string; distance: number } | undefined;
  let tied = false;
  for (const f of forms) {
    if (!f.typos || Math.abs(f.lower.length - w.length) > 2 || !isTypoOf(w, f.form)) continue;
    const distance = editDistance(squash(w), squash(f.lower));
    if (!best || distance < best.distance) {
      best = { value: f.value, distance };
      tied = false;
    } else if (distance === best.distance && f.value !== best.value) tied = true;
  }
  return best && !tied ? { value: best.value, match: 'typo' } : undefined;
}

/**
 * The one known name a written one shortens part by part ("churn-pred", "iris-clf", "auth-svc",
 * "HighLatP99", "ErrBudgetBurnFast"): as many parts, each the known part or its start (two letters
 * at least) or its letters in order from its first ("clf" of "classifier", "svc" of "service").
 * Read as a typo is, so the reply says which name was taken.
 *
 * @example abbreviated('churn-pred', ['churn-predictor', 'fraud-detector']) // { value: 'churn-predictor', match: 'typo' }
 */
export function abbreviated(
  written: string,
  known: readonly string[],
): { value: string; match: 'typo' } | undefined {
  const parts = segments(written);
  if (parts.length < 2) return undefined;
  const fits = known.filter((name) => {
    const own = segments(name);
    return own.length === parts.length && own.every((full, i) => shortens(parts[i]!, full));
  });
  return fits.length === 1 ? { value: fits[0]!, match: 'typo' } : undefined;
}

function shortens(short: string, full: string): boolean {
  if (short === full) return true;
  if (short.length < 2 || short.length >= full.length || short[0] !== full[0]) return false;
  if (full.startsWith(short)) return true;
  let next = 0;
  for (const c of full) if (c === short[next]) next++;
  return next === short.length;
}

/**
 * Known names a person may have meant by an unknown one: those within a few edits, nearest first;
 * failing that, those sharing the most parts of four letters or more (`fraud-model` →
 * fraud-detector).
 *
 * @example nearNames('HighErrorRate', ['HighErrorRatio', 'ServiceDown']) // ['HighErrorRatio']
 */
export function nearNames(written: string, known: readonly string[], limit = 3): string[] {
  const w = squash(written);
  const parts = new Set(segments(written).filter((p) => p.length >= 4));
  const close: { name: string; score: number }[] = [];
  const sharing: { name: string; score: number }[] = [];
  for (const name of new Set(known)) {
    const k = squash(name);
    const max = Math.max(2, Math.floor(Math.max(w.length, k.length) / 4));
    const d = editDistance(w, k, max);
    if (d <= max) close.push({ name, score: d });
    else {
      const shared = segments(name).filter((p) => parts.has(p)).length;
      if (shared > 0) sharing.push({ name, score: -shared });
    }
  }
  const best =
    close.length > 0 ? close : sharing.filter((s) => s.score === Math.min(...sharing.map((x) => x.score)));
  return best
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map((s) => s.name);
}
