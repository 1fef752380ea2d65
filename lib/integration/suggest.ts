/** "Did you mean" suggestions: candidates close to a mistyped name by edit distance. */

/** Levenshtein distance (insertions, deletions, substitutions all cost 1). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * Up to `max` candidates close to `name`, closest first. Case is ignored, a candidate that starts with the name
 * (a game name given without its `-System`) counts as close, and the allowed distance grows with the name's
 * length (a third of it, at least 2).
 */
export function closestNames(name: string, candidates: Iterable<string>, max = 3): string[] {
  const wanted = name.toLowerCase();
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  const scored: { candidate: string; score: number }[] = [];
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    if (lower === wanted && candidate !== name) {
      scored.push({ candidate, score: 0 });
      continue;
    }
    if (wanted.length > 0 && lower.startsWith(wanted + '-')) {
      scored.push({ candidate, score: 0.5 });
      continue;
    }
    // Cheap bound first: the distance is at least the length difference.
    if (Math.abs(lower.length - wanted.length) > limit) continue;
    const distance = editDistance(wanted, lower);
    if (distance > 0 && distance <= limit) scored.push({ candidate, score: distance });
  }
  scored.sort((x, y) => x.score - y.score || (x.candidate < y.candidate ? -1 : 1));
  return scored.slice(0, max).map((s) => s.candidate);
}
