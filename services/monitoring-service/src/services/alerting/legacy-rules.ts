import { DurationError, parseDuration } from '../duration.js';
import { escapeLabelValue } from '../metrics/labels.js';
import { type Matcher, MatcherError, parseSelector } from '../metrics/matchers.js';
import { seriesQuery } from '../signals/promql.js';
import { RED_METRICS, type SaturationBudget } from '../signals/signal-names.js';
import type { Comparison, FieldProblem, RuleSpec } from './rule-model.js';

export type SeriesFunction =
  | 'value'
  | 'rate'
  | 'increase'
  | 'avg_over_time'
  | 'min_over_time'
  | 'max_over_time';

/** The rule expressions stored before rules were PromQL; converted to PromQL on read and on input. */
export type LegacyRuleExpr =
  | { kind: 'signal'; signal: string; window: string; service?: string }
  | { kind: 'series'; selector: string; function: SeriesFunction; window?: string; sumBy?: string[] }
  | { kind: 'burn_rate'; objective: number; longWindow: string; shortWindow: string; service?: string };

export interface LegacyRuleSpec extends Omit<RuleSpec, 'expr' | 'keepFiringFor'> {
  expr: LegacyRuleExpr;
  op: Comparison;
  threshold: number;
  keepFiringFor?: string;
}

export class LegacyRuleError extends Error {
  constructor(readonly problems: FieldProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
    this.name = 'LegacyRuleError';
  }
}

const windowText = (field: string, text: string | undefined): string => {
  // Validated here so a bad window reads as a field problem, not as a PromQL syntax error.
  if (text === undefined) throw new LegacyRuleError([{ field, message: 'is required for this function' }]);
  try {
    parseDuration(text);
  } catch (err) {
    if (err instanceof DurationError) throw new LegacyRuleError([{ field, message: err.message }]);
    throw err;
  }
  return text;
};

/** max(a, b) per label set in PromQL: `a` where it is the larger, else `b`, else whichever exists. */
const larger = (a: string, b: string) => `((${a} >= ${b}) or ${b}) or ${a}`;
const smaller = (a: string, b: string) => `((${a} <= ${b}) or ${b}) or ${a}`;

function errorRatio(sel: string, w: string, zeroWithoutErrors = true): string {
  const comma = sel ? `${sel},` : '';
  const all = `sum by (service) (rate(${RED_METRICS.requests}{${sel}}[${w}]))`;
  const errors = `sum by (service) (rate(${RED_METRICS.requests}{${comma}status_code=~"5.."}[${w}]))`;
  // `or all * 0`: a service without any 5xx series has a ratio of 0, as the signal reads.
  return zeroWithoutErrors ? `(${errors} or ${all} * 0) / ${all}` : `${errors} / ${all}`;
}

/** `> t` with t >= 0 or `>= t` with t > 0: a ratio of 0 never meets it, so leaving it out changes nothing. */
const aboveZero = (op: Comparison, threshold: number) =>
  (op === '>' && threshold >= 0) || (op === '>=' && threshold > 0);

/**
 * The PromQL of a golden signal of every service (or of one), labelled by `service`: the
 * same definitions the built-in signals use.
 */
export function signalExpr(
  signal: string,
  w: string,
  service: string | undefined,
  budget: SaturationBudget,
  zeroWithoutErrors = true,
): string {
  const sel = service === undefined ? '' : `service="${escapeLabelValue(service)}"`;
  switch (signal) {
    case 'request_rate':
      return `sum by (service) (rate(${RED_METRICS.requests}{${sel}}[${w}]))`;
    case 'error_ratio':
      return errorRatio(sel, w, zeroWithoutErrors);
    case 'latency_p50':
    case 'latency_p95':
    case 'latency_p99':
      return `histogram_quantile(0.${signal.slice('latency_p'.length)}, sum by (service, le) (rate(${RED_METRICS.durationBuckets}{${sel}}[${w}])))`;
    case 'availability':
      return `avg by (service) (avg_over_time(${RED_METRICS.up}{${sel}}[${w}]))`;
    case 'saturation':
      return `max by (service) (${larger(
        `${RED_METRICS.eventLoopLag}{${sel}} / ${budget.eventLoopLagSeconds}`,
        `${RED_METRICS.residentMemory}{${sel}} / ${budget.residentMemoryBytes}`,
      )})`;
    default:
      throw new LegacyRuleError([{ field: '/expr/signal', message: `unknown signal "${signal}"` }]);
  }
}

/** A legacy rule expression with its comparison, as one PromQL expression. */
export function legacyExprToPromQL(
  e: LegacyRuleExpr,
  op: Comparison,
  threshold: number,
  budget: SaturationBudget,
): string {
  const compare = (q: string) => `${q} ${op} ${threshold}`;
  const plain = aboveZero(op, threshold);
  if (e.kind === 'signal')
    return compare(signalExpr(e.signal, windowText('/expr/window', e.window), e.service, budget, !plain));
  if (e.kind === 'burn_rate') {
    const budgetShare = Number((1 - e.objective).toPrecision(12));
    const sel = e.service === undefined ? '' : `service="${escapeLabelValue(e.service)}"`;
    const long = errorRatio(sel, windowText('/expr/longWindow', e.longWindow), !plain);
    const short = errorRatio(sel, windowText('/expr/shortWindow', e.shortWindow), !plain);
    // The SRE workbook's burn rate: the lower error ratio of both windows over the error budget.
    // Above a threshold, that is both windows above it, as the default pack writes it (the
    // alert's value is then the long window's burn rate).
    if (plain)
      return `${long} / ${budgetShare} ${op} ${threshold} and ${short} / ${budgetShare} ${op} ${threshold}`;
    return compare(`(${smaller(`(${long})`, `(${short})`)}) / ${budgetShare}`);
  }
  let matchers: Matcher[];
  try {
    matchers = parseSelector(e.selector);
  } catch (err) {
    if (err instanceof MatcherError)
      throw new LegacyRuleError([{ field: '/expr/selector', message: err.message }]);
    throw err;
  }
  const windowMs = e.function === 'value' ? 0 : parseDuration(windowText('/expr/window', e.window));
  const q = seriesQuery({ matchers, fn: e.function, windowMs, ...(e.sumBy ? { sumBy: e.sumBy } : {}) });
  return compare(q);
}

/** A stored or posted rule of either shape, as a PromQL rule. */
export function upgradeRuleSpec(
  spec: RuleSpec | LegacyRuleSpec | (Omit<RuleSpec, 'keepFiringFor'> & { keepFiringFor?: string }),
  budget: SaturationBudget,
): RuleSpec {
  const { name, severity, labels, annotations, enabled } = spec;
  const expr =
    typeof spec.expr === 'string'
      ? spec.expr
      : legacyExprToPromQL(
          spec.expr,
          (spec as LegacyRuleSpec).op,
          (spec as LegacyRuleSpec).threshold,
          budget,
        );
  return {
    name,
    expr,
    for: spec.for,
    keepFiringFor: spec.keepFiringFor ?? '0s',
    severity,
    labels,
    annotations,
    enabled,
  };
}
