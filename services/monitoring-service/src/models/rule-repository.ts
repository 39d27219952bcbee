import { lockInTransaction } from '@opsmesh/shared';
import { type Kysely, sql } from 'kysely';
import { type LegacyRuleSpec, upgradeRuleSpec } from '../services/alerting/legacy-rules.js';
import type { AlertRule, RuleSpec } from '../services/alerting/rule-model.js';
import type { SaturationBudget } from '../services/signals/signal-names.js';
import { fromJson, type MonitoringDB } from './db.js';

export interface RuleRepository {
  list(): Promise<AlertRule[]>;
  get(id: string): Promise<AlertRule | undefined>;
  /**
   * Inserts the rules unless that would leave more than `max` (then false). Counted and inserted
   * under one lock, so creates at once on every replica stop at `max` together.
   */
  insertWithinLimit(rules: AlertRule[], max: number): Promise<boolean>;
  update(rule: AlertRule): Promise<boolean>;
  remove(id: string): Promise<boolean>;
  /** Inserts the default pack once per database; later starts leave edits and deletions alone. */
  installDefaultsOnce(rules: AlertRule[]): Promise<boolean>;
  /** Rewrites specs stored in the shape before PromQL as PromQL; returns how many. */
  upgradeStored(): Promise<number>;
}

type Row = {
  id: string;
  spec: unknown;
  builtin: boolean;
  created_at: Date;
  updated_at: Date;
};

const isLegacy = (spec: RuleSpec | LegacyRuleSpec) =>
  typeof spec.expr !== 'string' || spec.keepFiringFor === undefined;

function toRule(row: Row, budget: SaturationBudget): AlertRule {
  // A spec of the earlier shape reads as the same rule in PromQL until it is rewritten.
  const spec = upgradeRuleSpec(fromJson<RuleSpec | LegacyRuleSpec>(row.spec), budget);
  return {
    ...spec,
    id: row.id,
    builtin: row.builtin,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function specOf(rule: AlertRule): RuleSpec {
  const { name, expr, keepFiringFor, severity, labels, annotations, enabled } = rule;
  return { name, expr, for: rule.for, keepFiringFor, severity, labels, annotations, enabled };
}

export function createRuleRepository(db: Kysely<MonitoringDB>, budget: SaturationBudget): RuleRepository {
  const toRuleOf = (row: Row) => toRule(row, budget);
  const columns = ['id', 'spec', 'builtin', 'created_at', 'updated_at'] as const;
  const insertRow = (rule: AlertRule) => ({
    id: rule.id,
    name: rule.name,
    spec: JSON.stringify(specOf(rule)),
    builtin: rule.builtin,
    created_at: rule.createdAt,
    updated_at: rule.updatedAt,
  });
  return {
    async list() {
      const rows = await db
        .selectFrom('monitoring_rules')
        .select(columns)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toRuleOf);
    },
    async get(id) {
      const row = await db
        .selectFrom('monitoring_rules')
        .select(columns)
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? toRuleOf(row) : undefined;
    },
    insertWithinLimit: (rules, max) =>
      db.transaction().execute(async (trx) => {
        await lockInTransaction(trx, 'monitoring_rules', 'all');
        const { n } = await trx
          .selectFrom('monitoring_rules')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow();
        if (Number(n) + rules.length > max) return false;
        if (rules.length > 0) await trx.insertInto('monitoring_rules').values(rules.map(insertRow)).execute();
        return true;
      }),
    async update(rule) {
      const r = await db
        .updateTable('monitoring_rules')
        .set({ name: rule.name, spec: JSON.stringify(specOf(rule)), updated_at: rule.updatedAt })
        .where('id', '=', rule.id)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async remove(id) {
      const r = await db.deleteFrom('monitoring_rules').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async upgradeStored() {
      const rows = await db.selectFrom('monitoring_rules').select(columns).execute();
      let n = 0;
      for (const row of rows) {
        const stored = fromJson<RuleSpec | LegacyRuleSpec>(row.spec);
        if (!isLegacy(stored)) continue;
        // Only over the spec it was read from: a replica starting at the same moment may have
        // rewritten it and an operator edited it since, and that newer rule stays.
        const r = await db
          .updateTable('monitoring_rules')
          .set({ spec: JSON.stringify(specOf(toRuleOf(row))) })
          .where('id', '=', row.id)
          .where(sql<boolean>`spec = ${JSON.stringify(stored)}::jsonb`)
          .executeTakeFirst();
        n += Number(r.numUpdatedRows);
      }
      return n;
    },
    async installDefaultsOnce(rules) {
      return db.transaction().execute(async (trx) => {
        const marked = await trx
          .insertInto('monitoring_meta')
          .values({ key: 'default_rules_installed', value: new Date().toISOString() })
          .onConflict((oc) => oc.column('key').doNothing())
          .returning('key')
          .executeTakeFirst();
        if (!marked) return false;
        if (rules.length > 0) {
          await trx
            .insertInto('monitoring_rules')
            .values(rules.map(insertRow))
            .onConflict((oc) => oc.column('id').doNothing())
            .execute();
        }
        return true;
      });
    },
  };
}
