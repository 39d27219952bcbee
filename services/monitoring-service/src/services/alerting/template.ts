import type { Labels } from '../metrics/labels.js';
import { goFloat } from '../promql/format.js';

/**
 * Annotation templates, the subset of Prometheus' Go templates alert texts use:
 * `{{ $value }}`, `{{ $labels.service }}`, and the functions `humanize`,
 * `humanizePercentage`, `humanizeDuration` applied to `$value`.
 *
 * @example
 * renderTemplate('{{ $labels.service }} errors at {{ humanizePercentage $value }}', { service: 'api' }, 0.123)
 * // 'api errors at 12.3%'
 */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

/**
 * Template text as an error may repeat it (` "…"`): only short and made of what actions are
 * written in; a rule file's may be any size and hold markup. Otherwise nothing.
 */
const quoted = (text: string) => (/^[A-Za-z0-9_$.\s]{1,40}$/.test(text) ? ` "${text}"` : '');

const FUNCTIONS = new Set(['humanize', 'humanizePercentage', 'humanizeDuration']);

/** Four significant digits, as Prometheus' `%.4g`: 113.1, 1.235, 0.5. */
function significant(n: number): string {
  return String(Number(n.toPrecision(4)));
}

export function humanize(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  if (abs >= 1) {
    const units = ['', 'k', 'M', 'G', 'T', 'P'];
    let i = 0;
    let x = v;
    while (Math.abs(x) >= 1000 && i < units.length - 1) {
      x /= 1000;
      i++;
    }
    return significant(x) + units[i];
  }
  if (abs === 0) return '0';
  const units = ['', 'm', 'u', 'n', 'p'];
  let i = 0;
  let x = v;
  while (Math.abs(x) < 1 && i < units.length - 1) {
    x *= 1000;
    i++;
  }
  return significant(x) + units[i];
}

export function humanizeDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  if (seconds === 0) return '0s';
  if (Math.abs(seconds) < 1) {
    // Four significant digits under the largest fitting prefix, as Prometheus: 565ms, 12.5us.
    let v = seconds;
    let prefix = '';
    for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
      if (Math.abs(v) >= 1) break;
      prefix = p;
      v *= 1000;
    }
    return `${significant(v)}${prefix}s`;
  }
  // Under a minute, four significant digits as Prometheus prints them: 4.8s, not 4s.
  if (Math.abs(seconds) < 60) return `${significant(seconds)}s`;
  let rest = Math.floor(seconds);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
  ] as const) {
    if (rest >= size) {
      parts.push(Math.floor(rest / size) + unit);
      rest %= size;
    }
  }
  if (rest > 0 || parts.length === 0) parts.push(rest + 's');
  return parts.join(' ');
}

type Part = { text: string } | { fn: string | undefined; ref: string };

/** Splits a template into text and references; throws TemplateError naming the problem. */
export function compileTemplate(template: string): Part[] {
  const parts: Part[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{{', i);
    if (open < 0) {
      parts.push({ text: template.slice(i) });
      break;
    }
    if (open > i) parts.push({ text: template.slice(i, open) });
    const close = template.indexOf('}}', open + 2);
    if (close < 0) throw new TemplateError(`"{{" at position ${open} is never closed with "}}"`);
    const words = template
      .slice(open + 2, close)
      .trim()
      .split(/\s+/);
    const [first, second] = words;
    const fn = words.length === 2 ? first : undefined;
    const ref = words.length === 2 ? second : first;
    if (words.length > 2 || ref === undefined || (fn !== undefined && !FUNCTIONS.has(fn))) {
      throw new TemplateError(
        `unsupported template action${quoted(template.slice(open + 2, close))} at position ${open}`,
      );
    }
    if (ref !== '$value' && !/^\$labels\.[a-zA-Z_][a-zA-Z0-9_]*$/.test(ref)) {
      throw new TemplateError(`unknown reference${quoted(ref)}: use $value or $labels.<name>`);
    }
    if (fn !== undefined && ref !== '$value') throw new TemplateError(`${fn} applies to $value only`);
    parts.push({ fn, ref });
    i = close + 2;
  }
  return parts;
}

export function renderCompiled(parts: readonly Part[], labels: Labels, value: number): string {
  let out = '';
  for (const p of parts) {
    if ('text' in p) {
      out += p.text;
      continue;
    }
    if (p.ref !== '$value') {
      out += labels[p.ref.slice('$labels.'.length)] ?? '';
      continue;
    }
    if (p.fn === 'humanize') out += humanize(value);
    else if (p.fn === 'humanizePercentage') out += significant(value * 100) + '%';
    else if (p.fn === 'humanizeDuration') out += humanizeDuration(value);
    // `{{ $value }}` prints as Go's %v does in Prometheus' templates: 1e-05, 0.25, 1e+21.
    else out += goFloat(value);
  }
  return out;
}

export function renderTemplate(template: string, labels: Labels, value: number): string {
  return renderCompiled(compileTemplate(template), labels, value);
}
