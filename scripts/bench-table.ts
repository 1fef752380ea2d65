/**
 * `npm run bench:table [-- --check] [-- --results file.jsonl] [-- --readme README.md]`
 *
 * Rewrites the README's bench tables (between its bench-table markers) from a saved `npm run bench -- --json` run,
 * by default docs/bench/results.jsonl. With --check it changes nothing and exits 1 if the README differs from what
 * the run gives. To publish new numbers:
 *
 *   npm run bench -- --json --only emulator-vs-raw,env-vs-raw,wrappers,batch-env > docs/bench/results.jsonl
 *   npm run bench:table
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseBenchJson, renderBenchTables, spliceGenerated } from '../bench/readme-tables.ts';
import { packageRoot } from '../lib/package-root.ts';

const { values } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    results: { type: 'string', default: join(packageRoot(), 'docs', 'bench', 'results.jsonl') },
    readme: { type: 'string', default: join(packageRoot(), 'README.md') },
  },
});

const readme = readFileSync(values.readme, 'utf8');
const updated = spliceGenerated(readme, renderBenchTables(parseBenchJson(readFileSync(values.results, 'utf8'))));
if (values.check) {
  if (updated !== readme) {
    console.error(`${values.readme}'s bench tables differ from ${values.results}; run npm run bench:table`);
    process.exit(1);
  }
  console.log(`${values.readme}'s bench tables match ${values.results}`);
} else if (updated !== readme) {
  writeFileSync(values.readme, updated);
  console.log(`${values.readme}: bench tables rewritten from ${values.results}`);
} else {
  console.log(`${values.readme}: bench tables already match ${values.results}`);
}
