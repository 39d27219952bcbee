import { DurationError, parseDuration } from '../duration.js';
import { type Matcher, MatcherError, parseSelector } from '../metrics/matchers.js';
import { isSignalName, type SignalName } from '../signals/signal-names.js';
import { compileTemplate, TemplateError } from './template.js';

export type Comparison = '>' | '>=' | '<' | '<=' | '==' | '!=';
export type Severity = 'critical' | 'warning' | 'info';
export type SeriesFunction =
  | 'value'
  | 'rate'
  | 'increase'
  | 'avg_over_time'
  | 'min_over_time'
  | 'max_over_time';

/** What a rule measures; each kind yields one value per label set (per service, per series). */
export type RuleExpr =
  | { kind: 'signal'; signal: string; window: string; service?: string }
  | { kind: 'series'; selector: string; function: SeriesFunction; window?: string; sumBy?: string[] }
  /** min(error ratio over each window) / (1 - objective): the SRE workbook's burn rate. */
  | { kind: 'burn_rate'; objective: number; longWindow: string; shortWindow: string; service?: string };

export interface RuleSpec {
  name: string;
  expr: RuleExpr;
  op: Comparison;
  threshold: number;
  for: string;
  severity: Severity;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  enabled: boolean;
}

export interface AlertRule extends RuleSpec {
  id: string;
  builtin: boolean;
  createdAt: string;
  updatedAt: string;
}

export type CompiledExpr =
  | { kind: 'signal'; signal: SignalName; windowMs: number; service?: string }
  | { kind: 'series'; matchers: Matcher[]; fn: SeriesFunction; windowMs: number; sumBy?: string[] }
  | { kind: 'burn_rate'; objective: number; longMs: number; shortMs: number; service?: string };

export interface CompiledRule {
  rule: AlertRule;
  expr: CompiledExpr;
  forMs: number;
  annotations: Array<[name: string, parts: ReturnType<typeof compileTemplate>]>;
}

export interface FieldProblem {
  field: string;
  message: string;
}

export class RuleValidationError extends Error {
  constructor(readonly problems: FieldProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
    this.name = 'RuleValidationError';
  }
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const SERIES_FUNCTIONS = new Set<string>([
  'value',
  'rate',
  'increase',
  'avg_over_time',
  'min_over_time',
  'max_over_time',
]);

export function compare(value: number, op: Comparison, threshold: number): boolean {
  switch (op) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}

/**
 * Checks a rule beyond its JSON shape and compiles it for evaluation. Every problem is
 * collected, so one 400 answer names them all.
 */
export function compileRule(rule: AlertRule): CompiledRule {
  const problems: FieldProblem[] = [];
  const duration = (field: string, text: string, min = 0): number => {
    try {
      const ms = parseDuration(text);
      if (ms < min) problems.push({ field, message: `must be at least ${min / 1000}s` });
      return ms;
    } catch (err) {
      if (err instanceof DurationError) problems.push({ field, message: err.message });
      else throw err;
      return 0;
    }
  };
  if (!NAME.test(rule.name))
    problems.push({ field: '/name', message: 'must match [a-zA-Z_:][a-zA-Z0-9_:]*' });
  if (!Number.isFinite(rule.threshold))
    problems.push({ field: '/threshold', message: 'must be a finite number' });
  const forMs = duration('/for', rule.for);
  for (const k of Object.keys(rule.labels)) {
    if (!LABEL.test(k) || k.startsWith('__'))
      problems.push({ field: `/labels/${k}`, message: 'invalid label name' });
  }
  const annotations: CompiledRule['annotations'] = [];
  for (const [k, text] of Object.entries(rule.annotations)) {
    try {
      annotations.push([k, compileTemplate(text)]);
    } catch (err) {
      if (!(err instanceof TemplateError)) throw err;
      problems.push({ field: `/annotations/${k}`, message: err.message });
    }
  }
  const e = rule.expr;
  let expr: CompiledExpr | undefined;
  if (e.kind === 'signal') {
    if (!isSignalName(e.signal))
      problems.push({ field: '/expr/signal', message: `unknown signal "${e.signal}"` });
    const windowMs = duration('/expr/window', e.window, 1000);
    expr = { kind: 'signal', signal: e.signal as SignalName, windowMs };
    if (e.service !== undefined) expr.service = e.service;
  } else if (e.kind === 'series') {
    let matchers: Matcher[] = [];
    try {
      matchers = parseSelector(e.selector);
    } catch (err) {
      if (!(err instanceof MatcherError)) throw err;
      problems.push({ field: '/expr/selector', message: err.message });
    }
    if (!SERIES_FUNCTIONS.has(e.function)) {
      problems.push({ field: '/expr/function', message: `unknown function "${e.function}"` });
    }
    const needsWindow = e.function !== 'value';
    if (needsWindow && e.window === undefined) {
      problems.push({ field: '/expr/window', message: `${e.function} needs a window` });
    }
    const windowMs = e.window === undefined ? 0 : duration('/expr/window', e.window, needsWindow ? 1000 : 0);
    for (const l of e.sumBy ?? []) {
      if (!LABEL.test(l)) problems.push({ field: '/expr/sumBy', message: `invalid label name "${l}"` });
    }
    expr = { kind: 'series', matchers, fn: e.function, windowMs };
    if (e.sumBy !== undefined) expr.sumBy = e.sumBy;
  } else if (e.kind === 'burn_rate') {
    if (!(e.objective > 0 && e.objective < 1)) {
      problems.push({ field: '/expr/objective', message: 'must be between 0 and 1 exclusive, e.g. 0.999' });
    }
    const longMs = duration('/expr/longWindow', e.longWindow, 1000);
    const shortMs = duration('/expr/shortWindow', e.shortWindow, 1000);
    if (shortMs >= longMs)
      problems.push({ field: '/expr/shortWindow', message: 'must be shorter than longWindow' });
    expr = { kind: 'burn_rate', objective: e.objective, longMs, shortMs };
    if (e.service !== undefined) expr.service = e.service;
  } else {
    problems.push({ field: '/expr/kind', message: 'must be signal, series or burn_rate' });
  }
  if (problems.length > 0 || expr === undefined) throw new RuleValidationError(problems);
  return { rule, expr, forMs, annotations };
}
