import { errors, withFieldErrors } from '../../errors.js';
import { newId } from '../../models/ids.js';
import type { RuleRepository } from '../../models/rule-repository.js';
import { type AlertRule, compileRule, type RuleSpec, RuleValidationError } from './rule-model.js';

export type RuleInput = Omit<RuleSpec, 'for' | 'severity' | 'labels' | 'annotations' | 'enabled'> &
  Partial<Pick<RuleSpec, 'for' | 'severity' | 'labels' | 'annotations' | 'enabled'>>;

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
  ) {}

  list(): Promise<AlertRule[]> {
    return this.repository.list();
  }

  async get(id: string): Promise<AlertRule> {
    const rule = await this.repository.get(id);
    if (!rule) throw errors.MONITORING_RULE_NOT_FOUND({ id });
    return rule;
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
    await this.repository.insert(rule);
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

  private complete(input: RuleInput): RuleSpec {
    return {
      name: input.name,
      expr: input.expr,
      op: input.op,
      threshold: input.threshold,
      for: input.for ?? '0s',
      severity: input.severity ?? 'warning',
      labels: input.labels ?? {},
      annotations: input.annotations ?? {},
      enabled: input.enabled ?? true,
    };
  }

  private validate(rule: AlertRule): AlertRule {
    try {
      compileRule(rule);
      return rule;
    } catch (err) {
      if (!(err instanceof RuleValidationError)) throw err;
      throw withFieldErrors(
        errors.MONITORING_INVALID_RULE({ summary: `The rule is invalid: ${err.message}.` }),
        err.problems,
      );
    }
  }
}
