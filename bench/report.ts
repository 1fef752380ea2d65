import { definitionOf } from './definitions.ts';

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
  const definition = definitionOf(rows[0].bench);
  if (definition) console.log(definition);
  console.log();
}

/** A cell as text: integers as they are, other numbers to 3 decimals below 10 in size and to 1 above. */
export function format(v: string | number | undefined): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) < 10 ? 3 : 1);
  return v ?? '';
}

/** Frames/s of two workloads measured in alternation, their ratio b / a, and the µs b adds to each frame. */
export interface Paired {
  a: number;
  b: number;
  ratio: number;
  /** 1e6 / b − 1e6 / a: µs per frame that b spends beyond a. Times frames per step, it is the overhead per step. */
  extraMicrosPerFrame: number;
}

/**
 * Alternates `chunks` rounds of the two workloads; each returns the frames it ran and the seconds they took. Rates
 * are the medians over the rounds, the ratio and the extra time the medians of each round's, so a burst of load
 * from elsewhere on the machine shifts one round, not the result.
 */
export function interleave(chunks: number, a: () => [number, number], b: () => [number, number]): Paired {
  const ratesA: number[] = [], ratesB: number[] = [], ratios: number[] = [], extras: number[] = [];
  for (let i = 0; i < chunks; i++) {
    const [fa, sa] = a();
    const [fb, sb] = b();
    ratesA.push(fa / sa);
    ratesB.push(fb / sb);
    ratios.push(fb / sb / (fa / sa));
    extras.push(overheadMicros(fb / sb, fa / sa));
  }
  return { a: median(ratesA), b: median(ratesB), ratio: median(ratios), extraMicrosPerFrame: median(extras) };
}

/**
 * µs a step takes at `rate` beyond the time it takes at `baseline` (both in units per second, `unitsPerStep` units
 * to a step). A fixed cost per step shows here whatever the core's speed; a ratio hides it behind a slow ROM.
 */
export function overheadMicros(rate: number, baseline: number, unitsPerStep = 1): number {
  return 1e6 * unitsPerStep * (1 / rate - 1 / baseline);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
