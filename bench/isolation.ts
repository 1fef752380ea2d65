import { readFileSync } from 'node:fs';
import { Actions } from '../lib/env/action-codec.ts';
import { BatchEnv, type BatchEnvOptions } from '../lib/vector/batch-env.ts';
import { median, overheadMicros, type BenchRow } from './report.ts';

const CHUNKS = 7;
/** Linux's USER_HZ: the unit of the CPU times in /proc/<pid>/stat. */
const TICKS_PER_SECOND = 100;

/** CPU seconds used so far by this process (all its threads) and by the given child processes. */
function cpuSeconds(children: readonly number[]): number {
  const { user, system } = process.cpuUsage();
  let ticks = 0;
  for (const pid of children) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[14 - 3]) + Number(fields[15 - 3]); // utime, stime
  }
  return (user + system) / 1e6 + ticks / TICKS_PER_SECOND;
}

/** Steps `batch` for about `ms` with fixed varied actions; returns agent steps per wall second and per CPU second. */
function chunk(batch: BatchEnv, ms: number, actionCount: number): { wall: number; cpu: number } {
  let steps = 0;
  const cpuBefore = cpuSeconds(batch.pids);
  const start = performance.now();
  for (let t = 0; performance.now() - start < ms; t++) {
    batch.step(Array.from({ length: batch.numEnvs }, (_, i) => (t * 7 + i * 3) % actionCount));
    steps += batch.numEnvs;
  }
  const seconds = (performance.now() - start) / 1000;
  return { wall: steps / seconds, cpu: steps / (cpuSeconds(batch.pids) - cpuBefore) };
}

/**
 * What `isolate: 'process'` costs: agent steps/s of TinyKart-Nes (4 envs, frameskip 4) with the envs in child
 * processes against the native engine, in alternating chunks (rates are medians over the chunks, the ratio the
 * median of the chunks' ratios), and agent steps per CPU second (all threads and children counted), which other
 * load on the machine does not skew. Also how long the children take to start, how long after a child is killed
 * the call that waits for it throws ENV_CRASHED, and how long restart() takes to bring it back.
 */
export function benchIsolation(seconds: number): BenchRow[] {
  const options: BatchEnvOptions = { numEnvs: 4, frameskip: 4, useRestrictedActions: Actions.DISCRETE };
  const native = new BatchEnv('TinyKart-Nes', options);
  const started = performance.now();
  const isolated = new BatchEnv('TinyKart-Nes', { ...options, isolate: 'process' });
  const startMs = performance.now() - started;
  try {
    const actionCount = (native.singleActionSpace as { n: number }).n;
    native.reset();
    isolated.reset();
    const ms = (seconds * 1000) / (2 * CHUNKS);
    const a: { wall: number; cpu: number }[] = [];
    const b: { wall: number; cpu: number }[] = [];
    for (let c = 0; c < CHUNKS; c++) {
      a.push(chunk(native, ms, actionCount));
      b.push(chunk(isolated, ms, actionCount));
    }

    // A reset of the killed env alone: the time from the signal to the throw is the detection's.
    process.kill(isolated.pids[0], 'SIGKILL');
    const killed = performance.now();
    let crashMs = Number.NaN;
    try {
      isolated.reset({ envIds: [0] });
    } catch (e) {
      if ((e as { code?: string }).code !== 'ENV_CRASHED') throw e;
      crashMs = performance.now() - killed;
    }
    const restarting = performance.now();
    isolated.restart();
    const restartMs = performance.now() - restarting;
    const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;
    return [
      {
        bench: 'isolate-process',
        game: 'TinyKart-Nes',
        envs: 4,
        frameskip: 4,
        'native steps/s': round(median(a.map((x) => x.wall))),
        'process steps/s': round(median(b.map((x) => x.wall))),
        ratio: round(median(a.map((x, c) => b[c].wall / x.wall)), 3),
        'native steps/CPU s': round(median(a.map((x) => x.cpu))),
        'process steps/CPU s': round(median(b.map((x) => x.cpu))),
        'CPU ratio': round(median(a.map((x, c) => b[c].cpu / x.cpu)), 3),
        'overhead CPU µs/step': round(median(a.map((x, c) => overheadMicros(b[c].cpu, x.cpu))), 1),
        'start ms': round(startMs),
        'kill → ENV_CRASHED ms': round(crashMs, 1),
        'restart ms': round(restartMs),
      },
    ];
  } finally {
    native.close();
    isolated.close();
  }
}
