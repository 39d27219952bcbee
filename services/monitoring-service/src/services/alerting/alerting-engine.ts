import type { Alert, AlertTracker, Transition } from './alert-state.js';
import type { ExprEvaluator } from './expr-evaluator.js';
import type { GroupNotification, NotificationGrouper } from './notification-grouper.js';
import type { AlertRule, CompiledRule, CompileOptions } from './rule-model.js';
import { compileRule, RuleValidationError } from './rule-model.js';
import type { SilenceSet } from './silences.js';

export interface EvaluationResult {
  transitions: Transition[];
  notifications: GroupNotification[];
  /** Resolved alerts past their retention, gone from the active list. */
  forgotten: Alert[];
  failures: Array<{ ruleId: string; error: string }>;
}

/**
 * One evaluation cycle: every enabled rule is evaluated at `now`, alert states advance,
 * and the notifications that grouping makes due are returned. Persisting and delivering
 * them is the caller's job, so this stays deterministic under a test clock.
 */
export class AlertingEngine {
  private rules = new Map<string, CompiledRule>();

  constructor(
    private readonly evaluator: ExprEvaluator,
    readonly tracker: AlertTracker,
    readonly silences: SilenceSet,
    private readonly grouper: NotificationGrouper,
    private readonly compileOptions: CompileOptions = { prometheus: false },
  ) {}

  /** Stored rules that no longer compile here (e.g. PromQL only Prometheus runs, without it). */
  unevaluable: Array<{ ruleId: string; error: string }> = [];

  /** Replaces the rule set; alerts of rules that are gone or disabled resolve. */
  setRules(rules: readonly AlertRule[], now: number): Transition[] {
    const next = new Map<string, CompiledRule>();
    this.unevaluable = [];
    for (const r of rules) {
      if (!r.enabled) continue;
      try {
        next.set(r.id, compileRule(r, this.compileOptions));
      } catch (err) {
        if (!(err instanceof RuleValidationError)) throw err;
        this.unevaluable.push({ ruleId: r.id, error: err.message });
      }
    }
    const transitions: Transition[] = [];
    for (const id of this.rules.keys())
      if (!next.has(id)) transitions.push(...this.tracker.dropRule(id, now));
    this.rules = next;
    return transitions;
  }

  restoreGroups(states: Parameters<NotificationGrouper['restore']>[0]): void {
    this.grouper.restore(states);
  }

  groupSnapshot(): ReturnType<NotificationGrouper['snapshot']> {
    return this.grouper.snapshot();
  }

  ruleCount(): number {
    return this.rules.size;
  }

  /** Alerts that notifications may carry: not pending, not silenced. */
  notifiable(now: number): Alert[] {
    return this.tracker
      .all()
      .filter((a) => a.state !== 'pending' && this.silences.mutedBy(a.labels, now).length === 0);
  }

  async evaluate(now: number): Promise<EvaluationResult> {
    const transitions: Transition[] = [];
    const failures: EvaluationResult['failures'] = [];
    for (const compiled of this.rules.values()) {
      try {
        const results = await this.evaluator.evaluate(compiled, now);
        transitions.push(...this.tracker.apply(compiled, results, now));
      } catch (err) {
        // One rule's upstream failure (e.g. Prometheus down) must not stop the others, and
        // keeps that rule's alerts as they were rather than resolving them on no data.
        failures.push({ ruleId: compiled.rule.id, error: (err as Error).message });
      }
    }
    const forgotten = this.tracker.sweep(now);
    const notifications = this.flush(now);
    return { transitions, notifications, forgotten, failures };
  }

  flush(now: number): GroupNotification[] {
    return this.grouper.flush(this.notifiable(now), now);
  }
}
