/**
 * The README's bench section, generated from the rows of an `npm run bench -- --json` run (scripts/bench-table.ts
 * writes it), so the published numbers are exactly a run's and never retyped.
 */
import { definitionOf } from './definitions.ts';
import { format, type BenchRow } from './report.ts';

export const BEGIN_MARKER = '<!-- bench-table:begin: written by npm run bench:table from docs/bench/results.jsonl, do not edit -->';
export const END_MARKER = '<!-- bench-table:end -->';

/** Rows of a `--json` run: one JSON object per line; blank lines are skipped. */
export function parseBenchJson(text: string): BenchRow[] {
  return text
    .split('\n')
    .map((line, i) => [line.trim(), i + 1] as const)
    .filter(([line]) => line !== '')
    .map(([line, lineNumber]) => {
      let row: unknown;
      try {
        row = JSON.parse(line);
      } catch (e) {
        throw new Error(`line ${lineNumber}: ${(e as Error).message}`);
      }
      if (typeof row !== 'object' || row === null || typeof (row as BenchRow).bench !== 'string') {
        throw new Error(`line ${lineNumber}: a bench row is an object with a "bench" name`);
      }
      return row as BenchRow;
    });
}

/**
 * Markdown for the rows: a sentence on the machine (from the `machine` row), then for each bench, in the order
 * they ran, its definition and a table of its rows with every column but `bench`.
 */
export function renderBenchTables(rows: readonly BenchRow[]): string {
  const parts: string[] = [];
  const machine = rows.find((r) => r.bench === 'machine');
  if (machine) parts.push(describeMachine(machine));
  const benches = [...new Set(rows.filter((r) => r.bench !== 'machine').map((r) => r.bench))];
  for (const bench of benches) {
    const definition = definitionOf(bench);
    parts.push(`\`${bench}\`${definition ? `: ${definition}` : ''}`);
    parts.push(markdownTable(rows.filter((r) => r.bench === bench)));
  }
  return parts.join('\n\n');
}

function describeMachine(m: BenchRow): string {
  const shared =
    typeof m.load_1m === 'number' && typeof m.cpus === 'number' && m.load_1m > m.cpus
      ? ' The load was above the CPU count: other work shared the machine, so these numbers are noise, not our overhead; rerun on a quiet machine.'
      : '';
  return `Measured ${m.date} on ${m.cpus} CPUs (${m.cpu_model}), load average ${format(m.load_1m)} when the run started, Node ${m.node}.${shared}`;
}

function markdownTable(rows: readonly BenchRow[]): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((c) => c !== 'bench');
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(columns.map((c) => `\`${c}\``)),
    line(columns.map(() => '---')),
    ...rows.map((r) => line(columns.map((c) => format(r[c]).replaceAll('|', '\\|')))),
  ].join('\n');
}

/** `text` with what lies between the markers replaced by `generated`; the markers must each appear once. */
export function spliceGenerated(text: string, generated: string): string {
  const begin = text.indexOf(BEGIN_MARKER);
  const end = text.indexOf(END_MARKER);
  const once = (marker: string, at: number) => at >= 0 && text.indexOf(marker, at + 1) < 0;
  if (!once(BEGIN_MARKER, begin) || !once(END_MARKER, end) || end < begin) {
    throw new Error(`the README needs ${BEGIN_MARKER} and then ${END_MARKER}, each once`);
  }
  return `${text.slice(0, begin + BEGIN_MARKER.length)}\n${generated}\n${text.slice(end)}`;
}
