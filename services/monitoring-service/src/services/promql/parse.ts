import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { DurationError, parseDuration } from '../duration.js';
import { compileMatcher, type Matcher, MatcherError, type MatchOp } from '../metrics/matchers.js';
import type {
  AggregateOp,
  BinaryOp,
  Expr,
  MatrixSelector,
  ValueType,
  VectorMatching,
  VectorSelector,
} from './ast.js';
import { FUNCTIONS } from './function-signatures.js';
import { unquote } from './string-literal.js';

/**
 * A query the built-in engine cannot run: `syntax` for malformed PromQL, `unsupported` for valid
 * PromQL using a construct this engine does not evaluate (Prometheus itself does).
 */
export class PromQLError extends Error {
  constructor(
    readonly reason: 'syntax' | 'unsupported',
    message: string,
  ) {
    super(message);
    this.name = 'PromQLError';
  }
}

const USE_PROMETHEUS = 'is not supported by the built-in engine; set PROMETHEUS_URL to use Prometheus';
const unsupported = (what: string) => new PromQLError('unsupported', `PromQL ${what} ${USE_PROMETHEUS}`);

const BINARY_OPS: Readonly<Record<string, BinaryOp>> = {
  Pow: '^',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Atan2: 'atan2',
  Add: '+',
  Sub: '-',
  Eql: '==',
  Neq: '!=',
  Gtr: '>',
  Lss: '<',
  Gte: '>=',
  Lte: '<=',
  And: 'and',
  Or: 'or',
  Unless: 'unless',
};
const COMPARISONS = new Set<BinaryOp>(['==', '!=', '>', '<', '>=', '<=']);
const SET_OPS = new Set<BinaryOp>(['and', 'or', 'unless']);
const AGGREGATES = new Set<string>([
  'sum',
  'avg',
  'min',
  'max',
  'count',
  'group',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'quantile',
]);
const MATCH_OPS: Readonly<Record<string, MatchOp>> = {
  EqlSingle: '=',
  Neq: '!=',
  EqlRegex: '=~',
  NeqRegex: '!~',
};
/** Functions of Prometheus 2 that the grammar (of Prometheus 3) no longer has. */
const GRAMMAR_LESS_FUNCTIONS = new Set(['holt_winters']);
/** Grammar nodes of valid PromQL that the built-in engine refuses, and what to call them. */
const REFUSED_NODES: Readonly<Record<string, string>> = {
  SubqueryExpr: 'subqueries (`expr[range:step]`)',
  StepInvariantExpr: 'the `@` modifier',
  AnchoredExpr: 'the `anchored` modifier',
  SmoothedExpr: 'the `smoothed` modifier',
  FillModifier: 'the `fill` modifiers',
  TrimUpper: 'the `>/` operator',
  TrimLower: 'the `</` operator',
};

/** The type a (checked) expression evaluates to. */
export function typeOf(e: Expr): ValueType {
  switch (e.kind) {
    case 'number':
      return 'scalar';
    case 'string':
      return 'string';
    case 'selector':
      return 'instant vector';
    case 'matrix':
      return 'range vector';
    case 'call':
      return FUNCTIONS[e.fn]!.returns;
    case 'aggregate':
      return 'instant vector';
    case 'binary':
      return typeOf(e.lhs) === 'scalar' && typeOf(e.rhs) === 'scalar' ? 'scalar' : 'instant vector';
    case 'unary':
      return typeOf(e.expr);
  }
}

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.name !== 'LineComment') out.push(c);
  return out;
}

function parseNumber(text: string): number {
  const t = text.replace(/_/g, '');
  const sign = t.startsWith('-') ? -1 : 1;
  const body = t.replace(/^[+-]/, '');
  const lower = body.toLowerCase();
  if (lower === 'inf') return sign * Number.POSITIVE_INFINITY;
  if (lower === 'nan') return Number.NaN;
  const n = Number(body);
  if (!Number.isNaN(n)) return sign * n;
  // A number with a duration unit (`5m`) stands for its seconds, as in Prometheus 3.
  try {
    return (sign * parseDuration(body)) / 1000;
  } catch (err) {
    if (err instanceof DurationError) throw new PromQLError('syntax', `bad number or duration "${text}"`);
    throw err;
  }
}

class Converter {
  constructor(private readonly text: string) {}

  private src(node: SyntaxNode): string {
    return this.text.slice(node.from, node.to);
  }

  /** The first problem in the tree, before any conversion: error nodes and refused constructs. */
  check(top: SyntaxNode): void {
    const cursor = top.cursor();
    do {
      if (cursor.type.isError) {
        const near = this.text.slice(cursor.from, cursor.from + 20);
        // `name(`: a call of a function the grammar does not know.
        const called = near.startsWith('(')
          ? /([a-zA-Z_][a-zA-Z0-9_]*)\s*$/.exec(this.text.slice(0, cursor.from))
          : null;
        if (called) {
          if (GRAMMAR_LESS_FUNCTIONS.has(called[1]!)) throw unsupported(`function \`${called[1]}\``);
          throw new PromQLError('syntax', `unknown function with name "${called[1]}"`);
        }
        throw new PromQLError(
          'syntax',
          near.length > 0
            ? `unexpected "${near}" at position ${cursor.from + 1}`
            : `unexpected end of input at position ${cursor.from + 1}`,
        );
      }
      const refused = REFUSED_NODES[cursor.name];
      if (refused) throw unsupported(refused);
    } while (cursor.next());
  }

  expr(node: SyntaxNode): Expr {
    const parts = children(node);
    switch (node.name) {
      case 'PromQL':
      case 'ParenExpr':
        return this.expr(parts.find((p) => p.type.is('Expr'))!);
      case 'NumberDurationLiteral':
        return { kind: 'number', value: parseNumber(this.src(node)) };
      case 'StringLiteral':
        return { kind: 'string', value: this.string(node) };
      case 'VectorSelector':
        return this.selector(parts);
      case 'MatrixSelector':
        return this.matrix(parts);
      case 'OffsetExpr':
        return this.offset(parts);
      case 'FunctionCall':
        return this.call(parts);
      case 'AggregateExpr':
        return this.aggregate(parts);
      case 'BinaryExpr':
        return this.binary(parts);
      case 'UnaryExpr': {
        const op = this.src(parts[0]!) as '-' | '+';
        const inner = this.expr(parts[1]!);
        const t = typeOf(inner);
        if (t !== 'scalar' && t !== 'instant vector')
          throw new PromQLError(
            'syntax',
            `unary expression only allowed on expressions of type scalar or instant vector, got ${t}`,
          );
        // A negative literal is a literal, as Prometheus folds it.
        if (inner.kind === 'number')
          return { kind: 'number', value: op === '-' ? -inner.value : inner.value };
        return { kind: 'unary', op, expr: inner };
      }
      default:
        throw unsupported(`expression \`${this.src(node)}\``);
    }
  }

  private string(node: SyntaxNode): string {
    try {
      return unquote(this.src(node));
    } catch (err) {
      throw new PromQLError('syntax', (err as Error).message);
    }
  }

  private selector(parts: SyntaxNode[]): VectorSelector {
    const matchers: Matcher[] = [];
    for (const p of parts) {
      if (p.name === 'Identifier') matchers.push({ name: '__name__', op: '=', value: this.src(p) });
      if (p.name !== 'LabelMatchers') continue;
      for (const m of children(p)) {
        if (m.name === 'QuotedLabelName') {
          matchers.push({ name: '__name__', op: '=', value: this.string(m.firstChild!) });
          continue;
        }
        const [nameNode, opNode, valueNode] = children(m);
        const name =
          nameNode!.name === 'QuotedLabelName' ? this.string(nameNode!.firstChild!) : this.src(nameNode!);
        const op = MATCH_OPS[opNode!.firstChild!.name]!;
        const matcher = { name, op, value: this.string(valueNode!) };
        try {
          compileMatcher(matcher);
        } catch (err) {
          if (err instanceof MatcherError) throw new PromQLError('syntax', err.message);
          throw err;
        }
        matchers.push(matcher);
      }
    }
    if (matchers.filter((m) => m.name === '__name__').length > 1 && parts[0]?.name === 'Identifier') {
      throw new PromQLError('syntax', 'metric name must not be set twice');
    }
    // As Prometheus: a selector that matches every series would read the whole store.
    if (!matchers.some((m) => !compileMatcher(m).test(''))) {
      throw new PromQLError('syntax', 'vector selector must contain at least one non-empty matcher');
    }
    return { kind: 'selector', matchers, offsetMs: 0 };
  }

  private duration(node: SyntaxNode): number {
    const parts = children(node);
    if (parts.length !== 1 || parts[0]!.name !== 'NumberDurationLiteralInDurationContext')
      throw unsupported(`duration arithmetic \`${this.src(node)}\``);
    const text = this.src(parts[0]!);
    const seconds = /^[0-9.]+$/.test(text) ? Number(text) : undefined;
    if (seconds !== undefined && Number.isFinite(seconds)) return Math.round(seconds * 1000);
    try {
      return parseDuration(text);
    } catch (err) {
      if (err instanceof DurationError) throw new PromQLError('syntax', err.message);
      throw err;
    }
  }

  private matrix(parts: SyntaxNode[]): MatrixSelector {
    const inner = this.expr(parts[0]!);
    if (inner.kind !== 'selector')
      throw new PromQLError('syntax', 'ranges only allowed for vector selectors');
    const rangeMs = this.duration(parts.find((p) => p.name === 'DurationExpr')!);
    if (rangeMs <= 0) throw new PromQLError('syntax', 'range must be greater than zero');
    return { kind: 'matrix', selector: inner, rangeMs };
  }

  private offset(parts: SyntaxNode[]): Expr {
    const inner = this.expr(parts[0]!);
    const durationNode = parts.find((p) => p.name === 'OffsetDurationExpr')!;
    const sub = children(durationNode);
    let ms: number;
    if (sub[0]?.name === 'UnaryOp') {
      const sign = this.src(sub[0]) === '-' ? -1 : 1;
      ms = sign * this.duration(sub[1]!);
    } else ms = this.duration(durationNode);
    const target = inner.kind === 'matrix' ? inner.selector : inner.kind === 'selector' ? inner : undefined;
    if (!target)
      throw new PromQLError(
        'syntax',
        'offset modifier must be preceded by an instant vector selector or range vector selector',
      );
    if (target.offsetMs !== 0) throw new PromQLError('syntax', 'offset may not be set multiple times');
    target.offsetMs = ms;
    return inner;
  }

  private call(parts: SyntaxNode[]): Expr {
    const fn = this.src(parts[0]!);
    const signature = FUNCTIONS[fn];
    if (!signature) throw unsupported(`function \`${fn}\``);
    const args = children(parts[1]!)
      .filter((p) => p.type.is('Expr'))
      .map((p) => this.expr(p));
    const required = signature.args.length - (signature.optional ?? 0);
    if (args.length < required || args.length > signature.args.length) {
      throw new PromQLError(
        'syntax',
        `expected ${required === signature.args.length ? required : `${required} to ${signature.args.length}`} argument(s) in call to "${fn}", got ${args.length}`,
      );
    }
    args.forEach((a, i) => {
      const t = typeOf(a);
      if (t !== signature.args[i])
        throw new PromQLError(
          'syntax',
          `expected type ${signature.args[i]} in call to function "${fn}", got ${t}`,
        );
    });
    return { kind: 'call', fn, args };
  }

  private grouping(node: SyntaxNode): string[] {
    return children(node).map((l) =>
      l.name === 'QuotedLabelName' ? this.string(l.firstChild!) : this.src(l),
    );
  }

  private aggregate(parts: SyntaxNode[]): Expr {
    const op = this.src(parts[0]!);
    if (!AGGREGATES.has(op)) throw unsupported(`aggregation \`${op}\``);
    const modifier = parts.find((p) => p.name === 'AggregateModifier');
    const body = children(parts.find((p) => p.name === 'FunctionCallBody')!)
      .filter((p) => p.type.is('Expr'))
      .map((p) => this.expr(p));
    const takesParam = op === 'topk' || op === 'bottomk' || op === 'quantile';
    if (body.length !== (takesParam ? 2 : 1))
      throw new PromQLError(
        'syntax',
        `wrong number of arguments for aggregate expression provided, expected ${takesParam ? 2 : 1}, got ${body.length}`,
      );
    const expr = body[body.length - 1]!;
    const param = takesParam ? body[0] : undefined;
    if (typeOf(expr) !== 'instant vector')
      throw new PromQLError(
        'syntax',
        `expected type instant vector in aggregation expression, got ${typeOf(expr)}`,
      );
    if (param && typeOf(param) !== 'scalar')
      throw new PromQLError('syntax', `expected type scalar in aggregation parameter, got ${typeOf(param)}`);
    const mod = modifier ? children(modifier) : [];
    return {
      kind: 'aggregate',
      op: op as AggregateOp,
      param,
      expr,
      grouping: mod[1] ? this.grouping(mod[1]) : [],
      without: mod[0]?.name === 'Without',
    };
  }

  private binary(parts: SyntaxNode[]): Expr {
    const [lhsNode, opNode] = parts;
    const rhsNode = parts[parts.length - 1]!;
    const op = BINARY_OPS[opNode!.name];
    if (op === undefined) throw unsupported(`operator \`${this.src(opNode!)}\``);
    const lhs = this.expr(lhsNode!);
    const rhs = this.expr(rhsNode);
    const bool = parts.some((p) => p.name === 'BoolModifier');
    const clause = parts.find((p) => p.name === 'MatchingModifierClause');
    const lt = typeOf(lhs);
    const rt = typeOf(rhs);
    for (const t of [lt, rt]) {
      if (t !== 'scalar' && t !== 'instant vector')
        throw new PromQLError(
          'syntax',
          `binary expression must contain only scalar and instant vector types`,
        );
    }
    const bothScalar = lt === 'scalar' && rt === 'scalar';
    if (bool && !COMPARISONS.has(op))
      throw new PromQLError('syntax', 'bool modifier can only be used on comparison operators');
    if (bothScalar && COMPARISONS.has(op) && !bool)
      throw new PromQLError('syntax', 'comparisons between scalars must use BOOL modifier');
    if (SET_OPS.has(op) && (lt === 'scalar' || rt === 'scalar'))
      throw new PromQLError('syntax', `set operator "${op}" not allowed in binary scalar expression`);
    let matching: VectorMatching | undefined;
    if (lt === 'instant vector' && rt === 'instant vector') {
      matching = {
        card: SET_OPS.has(op) ? 'many-to-many' : 'one-to-one',
        on: false,
        labels: [],
        include: [],
      };
      if (clause) {
        const c = children(clause);
        matching.on = c[0]!.name === 'On';
        matching.labels = this.grouping(c[1]!);
        const group = c[2];
        if (group) {
          if (SET_OPS.has(op)) throw new PromQLError('syntax', `no grouping allowed for "${op}" operation`);
          matching.card = group.name === 'GroupLeft' ? 'many-to-one' : 'one-to-many';
          matching.include = c[3] ? this.grouping(c[3]) : [];
          if (matching.on) {
            for (const l of matching.include)
              if (matching.labels.includes(l))
                throw new PromQLError('syntax', `label "${l}" must not occur in ON and GROUP clause at once`);
          }
        }
      }
    } else if (clause) {
      throw new PromQLError('syntax', 'vector matching only allowed between instant vectors');
    }
    return { kind: 'binary', op, lhs, rhs, bool, matching };
  }
}

/**
 * Parses PromQL with Prometheus' own Lezer grammar into the engine's AST, type-checked as
 * Prometheus checks it. Valid PromQL the built-in engine does not evaluate is refused with a
 * PromQLError naming the construct.
 *
 * @example
 * parsePromQL('sum by (service) (rate(http_requests_total[5m])) > 1').kind // 'binary'
 */
export function parsePromQL(text: string): Expr {
  if (text.trim().length === 0) throw new PromQLError('syntax', 'empty query');
  const tree = parser.parse(text);
  const c = new Converter(text);
  c.check(tree.topNode);
  const expr = c.expr(tree.topNode);
  if (typeOf(expr) === 'string') throw unsupported('string results');
  return expr;
}
