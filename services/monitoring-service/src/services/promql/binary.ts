import { emptyLabels, type Labels } from '../metrics/labels.js';
import type { BinaryOp, VectorMatching } from './ast.js';
import { PromQLExecutionError, type Sample, signature, withoutName } from './values.js';

const COMPARISONS = new Set<BinaryOp>(['==', '!=', '>', '<', '>=', '<=']);

export const isComparison = (op: BinaryOp) => COMPARISONS.has(op);

/**
 * One element of a binary operation: the value, and whether a comparison holds. For a
 * comparison the value is the left side's, as in Prometheus' vectorElemBinop.
 */
export function elementOp(op: BinaryOp, l: number, r: number): [value: number, keep: boolean] {
  switch (op) {
    case '+':
      return [l + r, true];
    case '-':
      return [l - r, true];
    case '*':
      return [l * r, true];
    case '/':
      return [l / r, true];
    case '%':
      return [l % r, true];
    case '^':
      return [l ** r, true];
    case 'atan2':
      return [Math.atan2(l, r), true];
    case '==':
      return [l, l === r];
    case '!=':
      return [l, l !== r];
    case '>':
      return [l, l > r];
    case '<':
      return [l, l < r];
    case '>=':
      return [l, l >= r];
    case '<=':
      return [l, l <= r];
    default:
      throw new PromQLExecutionError(`operator "${op}" not allowed between scalars`);
  }
}

/** scalar op scalar (comparisons carry `bool`, the parser ensures it). */
export function scalarBinary(op: BinaryOp, l: number, r: number): number {
  const [value, keep] = elementOp(op, l, r);
  return isComparison(op) ? (keep ? 1 : 0) : value;
}

/** vector op scalar, or scalar op vector when `swap`: Prometheus' VectorscalarBinop. */
export function vectorScalar(
  op: BinaryOp,
  vector: readonly Sample[],
  scalar: number,
  swap: boolean,
  bool: boolean,
): Sample[] {
  const out: Sample[] = [];
  for (const s of vector) {
    const [l, r] = swap ? [scalar, s.value] : [s.value, scalar];
    let [value, keep] = elementOp(op, l, r);
    // The vector's element keeps its own value in a comparison, whichever side it is on.
    if (isComparison(op) && swap) value = r;
    if (bool) {
      value = keep ? 1 : 0;
      keep = true;
    }
    if (!keep) continue;
    // A filtering comparison passes the sample through as it is: its labels need not be built.
    if (isComparison(op) && !bool && value === s.value) out.push(s);
    else out.push({ labels: !isComparison(op) || bool ? withoutName(s.labels) : s.labels, value });
  }
  return out;
}

function resultLabels(many: Labels, one: Labels, op: BinaryOp, m: VectorMatching): Labels {
  const out = emptyLabels();
  const dropName = !isComparison(op);
  for (const k in many) {
    if (k === '__name__' && dropName) continue;
    if (m.card === 'one-to-one' && (m.on ? !m.labels.includes(k) : m.labels.includes(k))) continue;
    out[k] = many[k]!;
  }
  for (const k of m.include) {
    const v = one[k];
    if (v !== undefined && v !== '') out[k] = v;
    else delete out[k];
  }
  return out;
}

/** and / or / unless between two vectors. */
function setOp(op: BinaryOp, lhs: readonly Sample[], rhs: readonly Sample[], m: VectorMatching): Sample[] {
  const sig = (s: Sample) => signature(s.labels, m.labels, m.on);
  const right = new Set(rhs.map(sig));
  if (op === 'and') return lhs.filter((s) => right.has(sig(s)));
  if (op === 'unless') return lhs.filter((s) => !right.has(sig(s)));
  const left = new Set(lhs.map(sig));
  return [...lhs, ...rhs.filter((s) => !left.has(sig(s)))];
}

/**
 * vector op vector with one-to-one, many-to-one (`group_left`) or one-to-many (`group_right`)
 * matching, Prometheus' VectorBinop, with its errors for ambiguous matches.
 */
export function vectorVector(
  op: BinaryOp,
  lhsIn: readonly Sample[],
  rhsIn: readonly Sample[],
  m: VectorMatching,
  bool: boolean,
): Sample[] {
  if (m.card === 'many-to-many') return setOp(op, lhsIn, rhsIn, m);
  const swapped = m.card === 'one-to-many';
  const [lhs, rhs] = swapped ? [rhsIn, lhsIn] : [lhsIn, rhsIn];
  const sig = (s: Sample) => signature(s.labels, m.labels, m.on);
  const oneSide = new Map<string, Sample>();
  for (const s of rhs) {
    const key = sig(s);
    if (oneSide.has(key)) {
      throw new PromQLExecutionError(
        `found duplicate series for the match group on the ${swapped ? 'left' : 'right'} hand-side of the operation; many-to-many matching not allowed: matching labels must be unique on one side`,
      );
    }
    oneSide.set(key, s);
  }
  const matched = new Map<string, Set<string> | null>();
  const out: Sample[] = [];
  for (const ls of lhs) {
    const key = sig(ls);
    const rs = oneSide.get(key);
    if (!rs) continue;
    const [l, r] = swapped ? [rs.value, ls.value] : [ls.value, rs.value];
    let [value, keep] = elementOp(op, l, r);
    if (bool) value = keep ? 1 : 0;
    else if (!keep) continue;
    let labels = resultLabels(ls.labels, rs.labels, op, m);
    if (bool) labels = withoutName(labels);
    if (m.card === 'one-to-one') {
      if (matched.has(key))
        throw new PromQLExecutionError(
          'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
        );
      matched.set(key, null);
    } else {
      let inserted = matched.get(key);
      if (!inserted) {
        inserted = new Set();
        matched.set(key, inserted);
      }
      const resultKey = signature(labels);
      if (inserted.has(resultKey))
        throw new PromQLExecutionError(
          'multiple matches for labels: grouping labels must ensure unique matches',
        );
      inserted.add(resultKey);
    }
    out.push({ labels, value });
  }
  return out;
}
