/**
 * Short forms of long ids for chat: the shortest prefix of each id (at least `min` characters,
 * after a type prefix such as `sil_`) that no other id in the list shares, as `git` abbreviates
 * commit hashes. People type these back; `matchIds` reads them.
 *
 * @example shortIds(['3fa9c1d2e4b5a6f7', '3fb0aa00bb11cc22']) // ['3fa9', '3fb0']
 */
export function shortIds(ids: readonly string[], min = 4): string[] {
  const bodies = ids.map(body);
  return bodies.map((b, i) => {
    let n = Math.min(min, b.length);
    while (n < b.length && bodies.some((o, j) => j !== i && o.startsWith(b.slice(0, n)))) n++;
    return b.slice(0, n);
  });
}

/**
 * The ids a typed id stands for: the id itself, or every id whose body starts with what was typed
 * (`mf3k2`, `sil_mf3k2`, `3FA9` all work). More than one means the typed form is ambiguous.
 *
 * @example matchIds('3fa', ['3fa9c1d2e4b5a6f7', '3fb0aa00bb11cc22']) // ['3fa9c1d2e4b5a6f7']
 */
export function matchIds(typed: string, ids: readonly string[]): string[] {
  const t = body(typed.trim().toLowerCase().replace(/^#/, ''));
  if (t === '') return [];
  const exact = ids.filter((id) => body(id.toLowerCase()) === t);
  return exact.length > 0 ? exact : ids.filter((id) => body(id.toLowerCase()).startsWith(t));
}

/** An id without its type prefix (`sil_`, `alt_`). */
function body(id: string): string {
  return id.replace(/^[a-z]{3}_/, '');
}
