/**
 * `npm test` after the typecheck: test/*.test.ts in two passes. Most files run side by side (one per CPU, at most
 * 4, as each may hold a few hundred MiB of emulators); the files below need the machine to themselves and run one
 * after another once the rest is done. Arguments are passed on to `node --test` (e.g. `--test-name-pattern`).
 * TEST_CONCURRENCY=n overrides the concurrency of the first pass.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../lib/package-root.ts';

/** Files that must not share the machine with other test files, and why. */
const SERIAL: Record<string, string> = {
  'batch-env.test.ts': 'counts the worker threads pinned to each CPU',
  'emulator-leaks.test.ts': 'bounds the RSS growth of thousands of open/close cycles',
  'hardening-leaks.test.ts': 'bounds RSS and C-heap growth per make/close cycle',
  'hardening-inputs.test.ts': 'bounds the RSS and the time (5 s) of decoding hostile states',
  'hardening-isolate.test.ts': 'child-process crash detection and close() within 2 s',
  'hardening-lua.test.ts': 'Lua time limits of 10–200 ms checked against wall-clock bounds of 1–2.5 s',
  'hardening-workers.test.ts': 'worker close() within 1 s',
  'hardening-escapes.test.ts': 'a 5 s wall-clock bound',
  'hardening-import.test.ts': 'a 2 s wall-clock bound on a hostile import',
  'integrate-page.test.ts': 'headless chromium beside the server: holds keys for seconds of play while a RAM search runs',
  'play-page.test.ts': 'headless chromium beside the server: counts the frames per second the page receives',
  'prebuilt-addon.test.ts': "builds build-prebuild/ as consumer-install's npm pack does; two builds in one folder collide",
};

const root = packageRoot();
const testDir = join(root, 'test');
const files = readdirSync(testDir)
  .filter((f) => f.endsWith('.test.ts'))
  .sort();
const missing = Object.keys(SERIAL).filter((f) => !existsSync(join(testDir, f)));
if (missing.length > 0) throw new Error(`scripts/run-tests.ts lists test files that do not exist: ${missing.join(', ')}`);

const concurrency = Number(process.env.TEST_CONCURRENCY ?? Math.min(4, availableParallelism()));
const passes = [
  { name: `concurrent (${concurrency} at a time)`, concurrency, files: files.filter((f) => !(f in SERIAL)) },
  { name: 'serial', concurrency: 1, files: files.filter((f) => f in SERIAL) },
];

const failed: string[] = [];
for (const pass of passes) {
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      '--import',
      './test/setup.ts',
      '--test',
      `--test-concurrency=${pass.concurrency}`,
      ...process.argv.slice(2),
      ...pass.files.map((f) => join('test', f)),
    ],
    { cwd: root, stdio: 'inherit' },
  );
  const seconds = Math.round((performance.now() - started) / 1000);
  console.log(`# ${pass.name} pass: ${pass.files.length} files, ${seconds} s, exit ${run.status ?? run.signal}`);
  if (run.status !== 0) failed.push(pass.name);
}
if (failed.length > 0) {
  console.error(`# failed: the ${failed.join(' and ')} pass`);
  process.exit(1);
}
