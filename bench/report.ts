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

/**
 * Alternates `chunks` rounds of the two workloads and returns their total frames/s. Each workload returns the
 * frames it ran and the seconds they took.
 */
export function interleave(chunks: number, a: () => [number, number], b: () => [number, number]): [number, number] {
  let framesA = 0, secondsA = 0, framesB = 0, secondsB = 0;
  for (let i = 0; i < chunks; i++) {
    const [fa, sa] = a();
    const [fb, sb] = b();
    framesA += fa;
    secondsA += sa;
    framesB += fb;
    secondsB += sb;
  }
  return [framesA / secondsA, framesB / secondsB];
}
