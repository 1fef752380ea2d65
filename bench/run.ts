/**
 * `npm run bench [-- --json] [-- --seconds N] [-- --cycles N] [-- --only emulator-vs-raw,env-vs-raw]`
 *
 * Prints frames/s of the bare core in a native loop next to what our layers reach on the same ROM in the same run,
 * their ratio, and the µs per step our layer adds (each table's last line defines its columns). Raw and measured
 * chunks alternate, so load changes on the machine hit both sides alike. The first row describes the machine and
 * its load when the run started (`scripts/bench-table.ts` turns a `--json` run into the README's tables). `leaks`
 * gives the memory 100 make/close cycles leave behind, with and without the core pool (`--cycles` per case).
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { benchEmulatorVsRaw } from './emulator-vs-raw.ts';
import { benchWrappers } from './wrappers.ts';
import { benchEnvVsRaw } from './env-vs-raw.ts';
import { benchBatchEnv } from './batch-env.ts';
import { benchIsolation } from './isolation.ts';
import { benchTraining } from './train.ts';
import { benchLeaks } from './leaks.ts';
import { benchPlayFrame, benchPlayPage } from './play.ts';
import { benchN64Batch, benchN64Env, benchN64Video } from './n64.ts';
import type { BenchRow } from './report.ts';
import { printRows } from './report.ts';
import { withCore } from './row-core.ts';

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
  // retro play: the frame message, and the page in headless chromium (no rows without /usr/bin/chromium).
  'play-frame': () => benchPlayFrame(),
  'play-page': () => benchPlayPage(seconds),
  // The N64 on our test ROM: raw, make() with pictures and RAM-only, BatchEnv at 2 and 4.
  n64: () => benchN64Env(seconds),
  'n64-batch': () => benchN64Batch(seconds),
  // Our N64 core's two picture modes: the VI scan-out and glide64mk2 on GL (llvmpipe here).
  'n64-video': () => benchN64Video(seconds),
};

const only = values.only?.split(',');
const unknown = only?.filter((name) => !(name in suites)) ?? [];
if (unknown.length > 0) throw new Error(`unknown bench ${unknown.join(', ')}; the benches are ${Object.keys(suites).join(', ')}`);

printRows([machineRow()], values.json);
for (const [name, run] of Object.entries(suites)) {
  if (only && !only.includes(name)) continue;
  printRows(withCore(await run()), values.json);
}

/** Where and when the numbers were taken; a load above the CPU count means the benches shared the machine. */
function machineRow(): BenchRow {
  return {
    bench: 'machine',
    date: new Date().toISOString().slice(0, 10),
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model ?? '',
    load_1m: Math.round(loadavg()[0] * 100) / 100,
    node: process.version,
  };
}
