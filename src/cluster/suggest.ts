/** Edit distance between two words (insertions, deletions, substitutions). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

/** The candidate closest to a mistyped `word`, when one is close enough to be what was meant. */
export const suggest = (word: string, candidates: readonly string[]): string | undefined =>
  candidates
    .map((c) => ({ c, d: distance(word, c) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(word.length / 3)))
    .sort((x, y) => x.d - y.d)[0]?.c;
