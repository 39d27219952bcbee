import { nameForDetail } from '@opsmesh/shared';
import { stringify } from 'yaml';
import type { FieldProblem, RuleSpec, Severity } from './rule-model.js';

const SEVERITIES = new Set<string>(['critical', 'warning', 'info']);
const RULE_KEYS = new Set(['alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations']);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function stringMap(v: unknown, field: string, problems: FieldProblem[]): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) {
    problems.push({ field, message: 'must be a map of names to strings' });
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(v)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      out[k] = String(value);
    else problems.push({ field: `${field}/${nameForDetail(k)}`, message: 'must be a string' });
  }
  return out;
}

/**
 * The alerting rules of a Prometheus rule file (`groups:` of `rules:`, as YAML parses it or as
 * JSON) as rule specs, with every problem named by its path (`/groups/0/rules/2/expr`). The
 * expressions are checked later, by compiling each rule. `labels.severity` becomes the rule's
 * severity, as the exported file writes it.
 */
export function parseRuleFile(doc: unknown): { specs: RuleSpec[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const specs: RuleSpec[] = [];
  if (!isObject(doc) || !Array.isArray(doc['groups'])) {
    problems.push({
      field: '/groups',
      message: 'a Prometheus rule file has a list of groups: `groups: [{name, rules: [...]}]`',
    });
    return { specs, problems };
  }
  doc['groups'].forEach((group: unknown, g) => {
    const at = `/groups/${g}`;
    if (!isObject(group) || !Array.isArray(group['rules'])) {
      problems.push({ field: `${at}/rules`, message: 'each group needs a list of rules' });
      return;
    }
    group['rules'].forEach((rule: unknown, r) => {
      const path = `${at}/rules/${r}`;
      if (!isObject(rule)) {
        problems.push({ field: path, message: 'must be a map' });
        return;
      }
      if ('record' in rule) {
        problems.push({
          field: `${path}/record`,
          message: 'recording rules are not supported; import alerting rules (`alert:`) only',
        });
        return;
      }
      for (const k of Object.keys(rule))
        if (!RULE_KEYS.has(k))
          problems.push({
            field: `${path}/${nameForDetail(k)}`,
            message: `unknown field; a rule has ${[...RULE_KEYS].join(', ')}`,
          });
      const name = rule['alert'];
      const expr = rule['expr'];
      if (typeof name !== 'string' || name === '')
        problems.push({ field: `${path}/alert`, message: 'is required: the alert name' });
      if (typeof expr !== 'string' && typeof expr !== 'number')
        problems.push({ field: `${path}/expr`, message: 'is required: a PromQL expression' });
      const duration = (key: string): string => {
        const v = rule[key];
        if (v === undefined || v === null) return '0s';
        if (typeof v !== 'string') {
          problems.push({ field: `${path}/${key}`, message: 'must be a duration such as 5m' });
          return '0s';
        }
        return v;
      };
      const labels = stringMap(rule['labels'], `${path}/labels`, problems);
      const annotations = stringMap(rule['annotations'], `${path}/annotations`, problems);
      let severity: Severity = 'warning';
      if (labels['severity'] !== undefined) {
        if (SEVERITIES.has(labels['severity'])) severity = labels['severity'] as Severity;
        else
          problems.push({ field: `${path}/labels/severity`, message: 'must be critical, warning or info' });
        delete labels['severity'];
      }
      specs.push({
        name: String(name),
        expr: String(expr),
        for: duration('for'),
        keepFiringFor: duration('keep_firing_for'),
        severity,
        labels,
        annotations,
        enabled: true,
      });
    });
  });
  return { specs, problems };
}

/**
 * Rules as a Prometheus rule file (one group), loadable by Prometheus' `rule_files` and
 * `promtool check rules`. Disabled rules are left out: Prometheus has no switch for them.
 */
export function toRuleFile(rules: readonly RuleSpec[], group = 'opsmesh'): string {
  return stringify(
    {
      groups: [
        {
          name: group,
          rules: rules
            .filter((r) => r.enabled)
            .map((r) => ({
              alert: r.name,
              expr: r.expr,
              ...(r.for !== '0s' ? { for: r.for } : {}),
              ...(r.keepFiringFor !== '0s' ? { keep_firing_for: r.keepFiringFor } : {}),
              labels: { ...r.labels, severity: r.severity },
              ...(Object.keys(r.annotations).length > 0 ? { annotations: r.annotations } : {}),
            })),
        },
      ],
    },
    { lineWidth: 0 },
  );
}
