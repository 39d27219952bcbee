/**
 * Edit distance between two short words (command and option names): insertions, deletions,
 * substitutions and swaps of neighbours (`emial`, `silense`) count one each. Written here rather
 * than taken from a package: a dozen lines for the handful of names a usage error compares.
 */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i]!;
      row[j] = Math.min(
        d[i - 1]![j]! + 1,
        row[j - 1]! + 1,
        d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
      }
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known name a mistyped one most likely meant: the nearest within a third of its length
 * (at least one edit), or the one it is a prefix or plural of; undefined when none is close.
 *
 * @example
 * didYouMean('emial', ['email', 'name', 'role']) // 'email'
 * didYouMean('user', ['users', 'models'])        // 'users'
 */
export function didYouMean(word: string, known: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const d = distance(w, name.toLowerCase());
    if (best === undefined || d < best.d) best = { name, d };
  }
  if (best === undefined) return undefined;
  const limit = Math.max(1, Math.floor(w.length / 3));
  if (best.d <= limit) return best.name;
  const prefixed = known.filter((n) => w.length >= 3 && n.toLowerCase().startsWith(w));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}
