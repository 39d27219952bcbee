import type { ValueType } from './ast.js';

export interface FunctionSignature {
  args: ValueType[];
  /** Trailing arguments that may be left out. */
  optional?: number;
  returns: ValueType;
}

const range = (): FunctionSignature => ({ args: ['range vector'], returns: 'instant vector' });
const vector = (): FunctionSignature => ({ args: ['instant vector'], returns: 'instant vector' });

/** The PromQL functions the built-in engine evaluates; any other is refused by name. */
export const FUNCTIONS: Readonly<Record<string, FunctionSignature>> = {
  rate: range(),
  irate: range(),
  increase: range(),
  delta: range(),
  idelta: range(),
  changes: range(),
  resets: range(),
  avg_over_time: range(),
  min_over_time: range(),
  max_over_time: range(),
  sum_over_time: range(),
  count_over_time: range(),
  last_over_time: range(),
  stddev_over_time: range(),
  stdvar_over_time: range(),
  present_over_time: range(),
  absent_over_time: range(),
  quantile_over_time: { args: ['scalar', 'range vector'], returns: 'instant vector' },
  histogram_quantile: { args: ['scalar', 'instant vector'], returns: 'instant vector' },
  absent: vector(),
  abs: vector(),
  ceil: vector(),
  floor: vector(),
  exp: vector(),
  ln: vector(),
  log2: vector(),
  log10: vector(),
  sqrt: vector(),
  sgn: vector(),
  sort: vector(),
  sort_desc: vector(),
  round: { args: ['instant vector', 'scalar'], optional: 1, returns: 'instant vector' },
  clamp: { args: ['instant vector', 'scalar', 'scalar'], returns: 'instant vector' },
  clamp_min: { args: ['instant vector', 'scalar'], returns: 'instant vector' },
  clamp_max: { args: ['instant vector', 'scalar'], returns: 'instant vector' },
  scalar: { args: ['instant vector'], returns: 'scalar' },
  vector: { args: ['scalar'], returns: 'instant vector' },
  time: { args: [], returns: 'scalar' },
};
