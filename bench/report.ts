/** One benchmark result; printed as a table row, or one JSON object per line with --json. */
export interface BenchRow {
  bench: string;
  [field: string]: string | number;
}

export function printRows(rows: BenchRow[], json: boolean): void {
  if (json) {
    for (const row of rows) console.log(JSON.stringify(row));
    return;
  }
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  const cells = rows.map((r) => columns.map((c) => format(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  console.log(columns.map((c, i) => c.padEnd(widths[i])).join('  '));
  for (const row of cells) console.log(row.map((v, i) => v.padEnd(widths[i])).join('  '));
  console.log();
}

function format(v: string | number | undefined): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 3 : 1);
  return v ?? '';
}

/** Frames/s of two workloads measured in alternation, and their ratio b / a. */
export interface Paired {
  a: number;
  b: number;
  ratio: number;
}

/**
 * Alternates `chunks` rounds of the two workloads; each returns the frames it ran and the seconds they took. Rates
 * are the medians over the rounds and the ratio the median of each round's ratio, so a burst of load from elsewhere
 * on the machine shifts one round, not the result.
 */
export function interleave(chunks: number, a: () => [number, number], b: () => [number, number]): Paired {
  const ratesA: number[] = [], ratesB: number[] = [], ratios: number[] = [];
  for (let i = 0; i < chunks; i++) {
    const [fa, sa] = a();
    const [fb, sb] = b();
    ratesA.push(fa / sa);
    ratesB.push(fb / sb);
    ratios.push(fb / sb / (fa / sa));
  }
  return { a: median(ratesA), b: median(ratesB), ratio: median(ratios) };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
