import { nameForDetail } from '@opsmesh/shared';
import { DurationError, parseDuration } from '../duration.js';
import type { Expr } from '../promql/ast.js';
import { PromQLError, parsePromQL, typeOf } from '../promql/parse.js';
import { compileTemplate, TemplateError } from './template.js';

export type Comparison = '>' | '>=' | '<' | '<=' | '==' | '!=';
export type Severity = 'critical' | 'warning' | 'info';

/** An alerting rule as Prometheus rule files write it, plus its severity and on/off switch. */
export interface RuleSpec {
  name: string;
  /** PromQL: every sample the expression returns is an alert. */
  expr: string;
  for: string;
  keepFiringFor: string;
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

type Template = ReturnType<typeof compileTemplate>;

export interface CompiledRule {
  rule: AlertRule;
  /** The parsed expression; undefined when only Prometheus evaluates it (a construct the built-in engine refuses). */
  ast: Expr | undefined;
  forMs: number;
  keepFiringForMs: number;
  labels: Array<[name: string, parts: Template]>;
  annotations: Array<[name: string, parts: Template]>;
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

export interface CompileOptions {
  /**
   * Whether Prometheus evaluates the rules (PROMETHEUS_URL): then PromQL the built-in engine
   * does not evaluate is accepted; otherwise it is refused naming the construct.
   */
  prometheus: boolean;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Checks a rule beyond its JSON shape and compiles it for evaluation. Every problem is
 * collected, so one 400 answer names them all.
 */
export function compileRule(rule: AlertRule, options: CompileOptions = { prometheus: false }): CompiledRule {
  const problems: FieldProblem[] = [];
  const duration = (field: string, text: string): number => {
    try {
      return parseDuration(text);
    } catch (err) {
      if (!(err instanceof DurationError)) throw err;
      problems.push({ field, message: err.message });
      return 0;
    }
  };
  if (!NAME.test(rule.name))
    problems.push({ field: '/name', message: 'must match [a-zA-Z_:][a-zA-Z0-9_:]*' });
  const forMs = duration('/for', rule.for);
  const keepFiringForMs = duration('/keepFiringFor', rule.keepFiringFor);
  const templates = (field: string, entries: Record<string, string>, checkName: boolean) => {
    const out: Array<[string, Template]> = [];
    for (const [k, text] of Object.entries(entries)) {
      if (checkName && (!LABEL.test(k) || k.startsWith('__'))) {
        problems.push({ field: `/${field}/${nameForDetail(k)}`, message: 'invalid label name' });
        continue;
      }
      try {
        out.push([k, compileTemplate(text)]);
      } catch (err) {
        if (!(err instanceof TemplateError)) throw err;
        problems.push({ field: `/${field}/${nameForDetail(k)}`, message: err.message });
      }
    }
    return out;
  };
  const labels = templates('labels', rule.labels, true);
  const annotations = templates('annotations', rule.annotations, false);
  let ast: Expr | undefined;
  try {
    ast = parsePromQL(rule.expr);
    const t = typeOf(ast);
    if (t !== 'instant vector' && t !== 'scalar')
      problems.push({ field: '/expr', message: `must evaluate to an instant vector, not a ${t}` });
  } catch (err) {
    if (!(err instanceof PromQLError)) throw err;
    if (err.reason === 'syntax' || !options.prometheus)
      problems.push({ field: '/expr', message: err.message });
  }
  if (problems.length > 0) throw new RuleValidationError(problems);
  return { rule, ast, forMs, keepFiringForMs, labels, annotations };
}

/**
 * The comparison a rule's expression ends with, against a number (`... > 0.05`): what the
 * console colours values by. Undefined for any other expression.
 *
 * @example
 * ruleThreshold('up == 0') // { op: '==', value: 0 }
 */
export function ruleThreshold(expr: string): { op: Comparison; value: number } | undefined {
  let ast: Expr;
  try {
    ast = parsePromQL(expr);
  } catch {
    return undefined;
  }
  const find = (e: Expr): { op: Comparison; value: number } | undefined => {
    if (e.kind !== 'binary') return undefined;
    // `a > x and b > x`: the burn-rate pair; the first comparison speaks for both.
    if (e.op === 'and') return find(e.lhs);
    if (!['>', '>=', '<', '<=', '==', '!='].includes(e.op) || e.bool) return undefined;
    if (e.rhs.kind === 'number' && Number.isFinite(e.rhs.value))
      return { op: e.op as Comparison, value: e.rhs.value };
    return undefined;
  };
  return find(ast);
}
