import { nameForDetail } from '@opsmesh/shared';
import { errors, withFieldErrors } from '../../errors.js';
import { newId } from '../../models/ids.js';
import type { RuleRepository } from '../../models/rule-repository.js';
import type { SaturationBudget } from '../signals/signal-names.js';
import { LegacyRuleError, type LegacyRuleExpr, upgradeRuleSpec } from './legacy-rules.js';
import { parseRuleFile, toRuleFile } from './rule-file.js';
import {
  type AlertRule,
  type Comparison,
  type CompileOptions,
  compileRule,
  type FieldProblem,
  type RuleSpec,
  RuleValidationError,
  ruleThreshold,
} from './rule-model.js';

/** A rule as posted: a PromQL `expr`, or the earlier object `expr` with `op` and `threshold`. */
export type RuleInput = Pick<RuleSpec, 'name'> &
  Partial<Omit<RuleSpec, 'name' | 'expr'>> & {
    expr: string | LegacyRuleExpr;
    op?: Comparison | undefined;
    /** A number with an object `expr`; with a PromQL one, the `{ op, value }` it is read back with. */
    threshold?: number | { op: Comparison; value: number } | undefined;
  };

export interface RuleServiceOptions extends CompileOptions {
  /** For rules posted in the earlier shape whose saturation signal divides by the budget. */
  budget: SaturationBudget;
  /**
   * Rules that may exist at once: every rule is evaluated each interval and every change
   * recompiles them all, so without a bound one caller could add rules until evaluation and
   * each change block the service (240 rules created 10 at a time had the gateway eject it).
   */
  maxRules?: number;
}

const invalid = (problems: FieldProblem[], what = 'The rule is invalid') =>
  withFieldErrors(
    errors.MONITORING_INVALID_RULE({
      summary: `${what}: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}.`,
    }),
    problems,
  );

/**
 * Rule CRUD: every write is validated by compiling the rule (so a stored rule always
 * evaluates) and then applied to the running evaluator through `onChange`.
 */
export class RuleService {
  constructor(
    private readonly repository: RuleRepository,
    private readonly onChange: (rules: AlertRule[]) => Promise<void>,
    private readonly now: () => number,
    /** Tells the other replicas to reload (a NOTIFY); nothing when there are none to tell. */
    private readonly announce: () => Promise<void> = async () => {},
    private readonly options: RuleServiceOptions = {
      prometheus: false,
      budget: { eventLoopLagSeconds: 0.1, residentMemoryBytes: 1e9 },
    },
  ) {}

  list(): Promise<AlertRule[]> {
    return this.repository.list();
  }

  async get(id: string): Promise<AlertRule> {
    const rule = await this.repository.get(id);
    if (!rule) throw errors.MONITORING_RULE_NOT_FOUND({ id });
    return rule;
  }

  /** Inserts `rules` unless that would leave more than `maxRules`: counted with the insert, across replicas. */
  private async insertWithinLimit(rules: AlertRule[]): Promise<void> {
    const limit = this.options.maxRules ?? Number.POSITIVE_INFINITY;
    if (!(await this.repository.insertWithinLimit(rules, limit)))
      throw errors.MONITORING_TOO_MANY_RULES({ limit, adding: rules.length });
  }

  async create(input: RuleInput): Promise<AlertRule> {
    const at = new Date(this.now()).toISOString();
    const rule = this.validate({
      ...this.complete(input),
      id: newId('rul'),
      builtin: false,
      createdAt: at,
      updatedAt: at,
    });
    await this.insertWithinLimit([rule]);
    await this.announce();
    await this.reload();
    return rule;
  }

  async replace(id: string, input: RuleInput): Promise<AlertRule> {
    const current = await this.get(id);
    const rule = this.validate({
      ...this.complete(input),
      id,
      builtin: current.builtin,
      createdAt: current.createdAt,
      updatedAt: new Date(this.now()).toISOString(),
    });
    if (!(await this.repository.update(rule))) throw errors.MONITORING_RULE_NOT_FOUND({ id });
    await this.announce();
    await this.reload();
    return rule;
  }

  async remove(id: string): Promise<void> {
    if (!(await this.repository.remove(id))) throw errors.MONITORING_RULE_NOT_FOUND({ id });
    await this.announce();
    await this.reload();
  }

  async reload(): Promise<void> {
    await this.onChange(await this.repository.list());
  }

  /**
   * Imports a Prometheus rule file: a rule with the name and severity of an existing one replaces
   * it, any other is created. Nothing is written unless every rule of the file is valid.
   */
  async importFile(doc: unknown): Promise<{ created: AlertRule[]; replaced: AlertRule[] }> {
    const { specs, problems } = parseRuleFile(doc);
    const existing = await this.repository.list();
    const at = new Date(this.now()).toISOString();
    const created: AlertRule[] = [];
    const replaced: AlertRule[] = [];
    specs.forEach((spec, i) => {
      const current = existing.find((r) => r.name === spec.name && r.severity === spec.severity);
      const rule: AlertRule = current
        ? { ...spec, id: current.id, builtin: current.builtin, createdAt: current.createdAt, updatedAt: at }
        : { ...spec, id: newId('rul'), builtin: false, createdAt: at, updatedAt: at };
      try {
        compileRule(rule, this.options);
      } catch (err) {
        if (!(err instanceof RuleValidationError)) throw err;
        // Which rule of the file: its position among the file's alerting rules, and its name.
        for (const p of err.problems)
          problems.push({ field: `/rules/${i}(${nameForDetail(spec.name)})${p.field}`, message: p.message });
      }
      (current ? replaced : created).push(rule);
    });
    if (specs.length === 0 && problems.length === 0)
      problems.push({ field: '/groups', message: 'the file holds no alerting rules' });
    if (problems.length > 0) throw invalid(problems, 'The rule file is invalid');
    await this.insertWithinLimit(created);
    for (const r of replaced) await this.repository.update(r);
    await this.announce();
    await this.reload();
    return { created, replaced };
  }

  /** Every rule as a Prometheus rule file (YAML). */
  async exportFile(): Promise<string> {
    return toRuleFile(await this.repository.list());
  }

  private complete(input: RuleInput): RuleSpec {
    const base = {
      name: input.name,
      for: input.for ?? '0s',
      keepFiringFor: input.keepFiringFor ?? '0s',
      severity: input.severity ?? 'warning',
      labels: input.labels ?? {},
      annotations: input.annotations ?? {},
      enabled: input.enabled ?? true,
    } as const;
    if (typeof input.expr === 'string') {
      const extra: FieldProblem[] = [];
      if (input.op !== undefined)
        extra.push({
          field: '/op',
          message: 'only goes with an object expr; write the comparison in the PromQL, e.g. `... > 0.05`',
        });
      if (typeof input.threshold === 'number')
        extra.push({
          field: '/threshold',
          message: 'only goes with an object expr; write the comparison in the PromQL',
        });
      else if (input.threshold !== undefined) {
        // The read-back form: accepted when it says what the expression says, so a rule read with
        // GET can be sent back with PUT; a changed one would be silently ignored, so it is refused.
        const read = ruleThreshold(input.expr);
        if (read?.op !== input.threshold.op || read.value !== input.threshold.value)
          extra.push({
            field: '/threshold',
            message: read
              ? `is read from expr (\`${read.op} ${read.value}\`); change the comparison in expr, or leave threshold out`
              : 'is read from expr, which ends in no comparison with a number; leave threshold out',
          });
      }
      if (extra.length > 0) throw invalid(extra);
      return { ...base, expr: input.expr };
    }
    const missing: FieldProblem[] = [];
    if (input.op === undefined)
      missing.push({ field: '/op', message: 'is required with an object expr (or write expr as PromQL)' });
    const threshold = input.threshold;
    if (typeof threshold !== 'number' || !Number.isFinite(threshold))
      missing.push({
        field: '/threshold',
        message: 'is required with an object expr and must be a finite number',
      });
    if (missing.length > 0) throw invalid(missing);
    try {
      return upgradeRuleSpec(
        { ...base, expr: input.expr, op: input.op!, threshold: threshold as number },
        this.options.budget,
      );
    } catch (err) {
      if (err instanceof LegacyRuleError) throw invalid(err.problems);
      throw err;
    }
  }

  private validate(rule: AlertRule): AlertRule {
    try {
      compileRule(rule, this.options);
      return rule;
    } catch (err) {
      if (!(err instanceof RuleValidationError)) throw err;
      throw invalid(err.problems);
    }
  }
}
