/**
 * `npm run bench [-- --json] [-- --seconds N] [-- --cycles N] [-- --only emulator-vs-raw]`
 *
 * Prints frames/s of the bare core in a native loop next to what our layers reach on the same ROM in the same run,
 * and their ratio. Raw and measured chunks alternate, so load changes on the machine hit both sides alike. `leaks`
 * gives the memory 100 make/close cycles leave behind, with and without the core pool (`--cycles` per case).
 */
import { parseArgs } from 'node:util';
import { benchEmulatorVsRaw } from './emulator-vs-raw.ts';
import { benchWrappers } from './wrappers.ts';
import { benchEnvVsRaw } from './env-vs-raw.ts';
import { benchBatchEnv } from './batch-env.ts';
import { benchIsolation } from './isolation.ts';
import { benchTraining } from './train.ts';
import { benchLeaks } from './leaks.ts';
import type { BenchRow } from './report.ts';
import { printRows } from './report.ts';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '3' },
    only: { type: 'string' },
    cycles: { type: 'string', default: '100' },
  },
});
const seconds = Number(values.seconds);
const cycles = Number(values.cycles);

const suites: Record<string, () => BenchRow[] | Promise<BenchRow[]>> = {
  'emulator-vs-raw': () => benchEmulatorVsRaw(seconds),
  'env-vs-raw': () => benchEnvVsRaw(seconds),
  'batch-env': () => benchBatchEnv(seconds),
  // BatchEnv({ isolate: 'process' }) against the native engine on TinyKart.
  isolate: () => benchIsolation(seconds),
  wrappers: () => benchWrappers(seconds),
  // PPO end to end vs the bare BatchEnv; needs the trainer's optional packages.
  train: () => benchTraining(seconds),
  leaks: () => benchLeaks(cycles),
};

for (const [name, run] of Object.entries(suites)) {
  if (values.only && values.only !== name) continue;
  printRows(await run(), values.json);
}
