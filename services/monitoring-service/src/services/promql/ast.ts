import type { Matcher } from '../metrics/matchers.js';

/** The four PromQL value types, as Prometheus names them in its error messages. */
export type ValueType = 'scalar' | 'instant vector' | 'range vector' | 'string';

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^' | 'atan2';
export type ComparisonOp = '==' | '!=' | '>' | '<' | '>=' | '<=';
export type SetOp = 'and' | 'or' | 'unless';
export type BinaryOp = ArithmeticOp | ComparisonOp | SetOp;

export type AggregateOp =
  | 'sum'
  | 'avg'
  | 'min'
  | 'max'
  | 'count'
  | 'group'
  | 'stddev'
  | 'stdvar'
  | 'topk'
  | 'bottomk'
  | 'quantile';

/** How the two sides of a vector-vector operation are paired (Prometheus' VectorMatching). */
export interface VectorMatching {
  card: 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';
  /** `on(...)` when true, `ignoring(...)` (or nothing) when false. */
  on: boolean;
  labels: string[];
  /** The labels `group_left(...)`/`group_right(...)` copy from the "one" side. */
  include: string[];
}

export interface NumberLiteral {
  kind: 'number';
  value: number;
}

export interface StringLiteral {
  kind: 'string';
  value: string;
}

export interface VectorSelector {
  kind: 'selector';
  matchers: Matcher[];
  offsetMs: number;
}

export interface MatrixSelector {
  kind: 'matrix';
  selector: VectorSelector;
  rangeMs: number;
}

export interface Call {
  kind: 'call';
  fn: string;
  args: Expr[];
}

export interface Aggregate {
  kind: 'aggregate';
  op: AggregateOp;
  /** The k of topk/bottomk, the φ of quantile. */
  param: Expr | undefined;
  expr: Expr;
  grouping: string[];
  without: boolean;
}

export interface Binary {
  kind: 'binary';
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  /** `bool`: comparisons return 0/1 instead of filtering. */
  bool: boolean;
  /** Set only when both sides are instant vectors. */
  matching: VectorMatching | undefined;
}

export interface Unary {
  kind: 'unary';
  op: '-' | '+';
  expr: Expr;
}

export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | Call
  | Aggregate
  | Binary
  | Unary;
