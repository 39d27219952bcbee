/**
 * How callers name a model version: `name`, `name@alias`, or `name` plus a version number.
 * Without either, the alias `production` is used when it exists, else the latest version.
 */

export interface ModelRef {
  name: string;
  alias?: string;
  version?: number;
}

export const MODEL_NAME_PATTERN = '^[a-z0-9][a-z0-9._-]{0,127}$';
export const ALIAS_PATTERN = '^[a-z][a-z0-9_-]{0,62}$';
export const DEFAULT_ALIAS = 'production';

/** Parses `name` or `name@alias`; returns undefined when the text is neither. */
export function parseModelRef(text: string, version?: string): ModelRef | undefined {
  const at = text.indexOf('@');
  const name = at < 0 ? text : text.slice(0, at);
  const alias = at < 0 ? undefined : text.slice(at + 1);
  if (!new RegExp(MODEL_NAME_PATTERN).test(name)) return undefined;
  if (alias !== undefined && !new RegExp(ALIAS_PATTERN).test(alias)) return undefined;
  const ref: ModelRef = { name };
  if (alias !== undefined) ref.alias = alias;
  if (version !== undefined) {
    if (!/^[1-9][0-9]{0,8}$/.test(version) || alias !== undefined) return undefined;
    ref.version = Number(version);
  }
  return ref;
}

export function formatRef(ref: ModelRef): string {
  return ref.alias
    ? `${ref.name}@${ref.alias}`
    : ref.version
      ? `${ref.name} version ${ref.version}`
      : ref.name;
}
