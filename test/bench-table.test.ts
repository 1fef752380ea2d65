// The README's bench tables come from a saved `npm run bench -- --json` run through scripts/bench-table.ts. These
// tests render a fixture run (no bench is run) and check the README shows the run it says it shows.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { benchDefinitions } from '../bench/definitions.ts';
import { BEGIN_MARKER, END_MARKER, parseBenchJson, renderBenchTables, spliceGenerated } from '../bench/readme-tables.ts';
import { packageRoot } from '../lib/package-root.ts';

const root = packageRoot();
const fixture = join(root, 'test', 'fixtures', 'bench', 'results.jsonl');
const rows = parseBenchJson(readFileSync(fixture, 'utf8'));

test('a --json run parses to its rows, blank lines skipped; a bad line is named', () => {
  assert.deepEqual(
    rows.map((r) => r.bench),
    ['machine', 'emulator-vs-raw', 'emulator-vs-raw', 'batch-env', 'made-up'],
  );
  assert.throws(() => parseBenchJson('{"bench":"a"}\n\n{oops'), /^Error: line 3: /);
  assert.throws(() => parseBenchJson('{"ratio":1}'), /line 1: a bench row is an object with a "bench" name/);
});

test('each bench gets its definition and a table of its rows, in run order, numbers formatted as npm run bench prints them', () => {
  const markdown = renderBenchTables(rows);
  const blocks = markdown.split('\n\n');
  assert.equal(
    blocks[0],
    'Measured 2026-01-02 on 2 CPUs (Test CPU), load average 3.500 when the run started, Node v20.0.0. The load was ' +
      'above the CPU count: other work shared the machine, so these numbers are noise, not our overhead; rerun on a quiet machine.',
  );
  assert.equal(blocks[1], `\`emulator-vs-raw\`: ${benchDefinitions['emulator-vs-raw']}`);
  assert.equal(
    blocks[2],
    [
      '| `system` | `frameskip` | `raw_fps` | `emulator_fps` | `ratio` | `overhead_us_per_step` |',
      '| --- | --- | --- | --- | --- | --- |',
      '| nes | 1 | 2740.2 | 2658 | 0.970 | 11.3 |',
      '| snes | 4 | 910 | 901 | 0.990 | -0.250 |',
    ].join('\n'),
  );
  assert.equal(blocks[3], `\`batch-env\`: ${benchDefinitions['batch-env']}`);
  assert.match(blocks[4], /^\| `system` \| `observation` \| `num_envs` \| `raw_fps` \| `batch_fps` \| `ratio_to_raw` \| `overhead_cpu_us_per_step` \|\n/);
  assert.match(blocks[4], /\| nes \| rgb \| 2 \| 2700 \| 5000 \| 1\.852 \| 48\.7 \|$/);
  // A bench without a definition still shows, and a | inside a cell does not split it.
  assert.equal(blocks[5], '`made-up`');
  assert.equal(blocks[6], '| `note` |\n| --- |\n| a \\| b |');
  assert.equal(blocks.length, 7);
});

test('a quiet machine gets no warning', () => {
  const quiet = rows.map((r) => (r.bench === 'machine' ? { ...r, load_1m: 0.5 } : r));
  assert.match(renderBenchTables(quiet), /^Measured .*Node v20\.0\.0\.\n/);
});

test('the generated block replaces only what lies between the markers, and the markers must be there once each', () => {
  const text = `intro\n${BEGIN_MARKER}\nold table\n${END_MARKER}\noutro\n`;
  assert.equal(spliceGenerated(text, 'new table'), `intro\n${BEGIN_MARKER}\nnew table\n${END_MARKER}\noutro\n`);
  assert.equal(spliceGenerated(spliceGenerated(text, 'x'), 'x'), spliceGenerated(text, 'x'), 'idempotent');
  assert.throws(() => spliceGenerated('no markers', 'x'), /needs/);
  assert.throws(() => spliceGenerated(`${END_MARKER}\n${BEGIN_MARKER}`, 'x'), /needs/);
  assert.throws(() => spliceGenerated(`${BEGIN_MARKER}${BEGIN_MARKER}${END_MARKER}`, 'x'), /needs/);
});

test('scripts/bench-table.ts writes a README from a run, and --check passes on it and fails on a stale one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rgym-bench-table-'));
  try {
    const readme = join(dir, 'README.md');
    writeFileSync(readme, `# t\n${BEGIN_MARKER}\nstale\n${END_MARKER}\n`);
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'bench-table.ts'), '--results', fixture, '--readme', readme, ...args], {
        cwd: root,
        encoding: 'utf8',
      });
    const stale = run('--check');
    assert.equal(stale.status, 1, stale.stderr);
    assert.match(stale.stderr, /differ/);
    assert.equal(run().status, 0);
    assert.equal(readFileSync(readme, 'utf8'), `# t\n${BEGIN_MARKER}\n${renderBenchTables(rows)}\n${END_MARKER}\n`);
    const fresh = run('--check');
    assert.equal(fresh.status, 0, fresh.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
test("the README's bench tables are those of docs/bench/results.jsonl", () => {
  const results = parseBenchJson(readFileSync(join(root, 'docs', 'bench', 'results.jsonl'), 'utf8'));
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  assert.equal(spliceGenerated(readme, renderBenchTables(results)), readme, 'run npm run bench:table');
});
