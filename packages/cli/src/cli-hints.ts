/**
 * Hints in the platform's problem details name HTTP routes ("GET /api/ml/models lists them"),
 * which is right for API callers. At the CLI the same hint names the command to run instead.
 * Only the text shown to people changes; `--json` keeps the problem as the platform sent it.
 */
const HINTS: readonly [RegExp, (...groups: string[]) => string][] = [
  [/GET (?:\/api\/ml)?\/models lists them/g, () => '`opsmesh models list` lists them'],
  [
    /GET (?:\/api\/ml)?\/models\/([^/\s]+)\/versions lists them/g,
    (name) => `\`opsmesh models versions ${name}\` lists them`,
  ],
  [
    /upload one to POST (?:\/api\/ml)?\/models\/([^/\s]+)\/versions/g,
    (name) => `upload one with \`opsmesh models upload ${name} <file.onnx>\``,
  ],
  [
    /create a new one with POST (?:\/api\/monitoring)?\/silences/g,
    () => 'create a new one with `opsmesh alerts silence`',
  ],
  [
    /expire some with DELETE (?:\/api\/monitoring)?\/silences\/\{id\}/g,
    () => 'expire some with `opsmesh alerts unsilence <silence id>`',
  ],
  [
    /revoke one you no longer use \(DELETE (?:\/api\/auth)?\/api-keys\/\{id\}\)/g,
    () => 'revoke one you no longer use (`opsmesh keys revoke <id>`)',
  ],
  [/\(log in at POST \/api\/auth\/login\)/g, () => '(run `opsmesh login`)'],
];

/** A problem detail with its HTTP-route hints turned into the CLI commands that do the same. */
export function cliHints(detail: string): string {
  let out = detail;
  for (const [pattern, replace] of HINTS) out = out.replace(pattern, (_m, ...groups) => replace(...groups));
  return out;
}
