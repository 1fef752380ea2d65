import type { MakeOptions } from '../env/retro-env.ts';
import type { Autoreset } from './autoreset.ts';

export interface BatchEnvOptions extends MakeOptions {
  /** Number of emulators. */
  numEnvs: number;
  /** How many envs `recv()` waits for (default: all of them, i.e. synchronous stepping). */
  batchSize?: number;
  /** Native worker threads (default: the machine's cores, at most numEnvs). */
  threads?: number;
  /**
   * With one native worker per CPU, keep each worker on its own CPU (default true). Unpinned, the scheduler tends
   * to wake the workers on the CPU of the JS thread and leave them sharing it for many steps: on a 2-CPU machine
   * that cost up to a third of the throughput. Turn it off when other busy processes share the machine.
   */
  pinThreads?: boolean;
  /**
   * `next-step` (default, Gymnasium 1.x): the step after an episode ends resets that env, ignoring its action, and
   * returns the first observation of the new episode with reward 0. `same-step`: the env resets in the same step
   * that ended the episode; `terminations` is 1, the observation is the new episode's first, and the episode's last
   * observation and variables are in the result's `finalObservation` / `finalInfo` (and the buffers
   * `finalObservations` / `finalValues` where `hasFinal` is 1).
   */
  autoreset?: Autoreset;
  /**
   * Truncate each env's episodes after this many steps, like Gymnasium's `TimeLimit`: that step sets
   * `truncations` (unless it terminated) and the env is reset as `autoreset` says, on every engine. With
   * `same-step` it needs `batchSize` = `numEnvs`: the truncated envs are reset before step()/recv() returns.
   */
  maxEpisodeSteps?: number;
  /**
   * Observation preprocessing done natively on the worker threads: gray (one channel) and/or an area resize, e.g.
   * `{ grayscale: true, width: 84, height: 84 }`. Combine with `frameskip: 4, maxPool: true` for Atari-style
   * observations. Not available with the worker_threads fallback.
   */
  preprocess?: { grayscale?: boolean; width?: number; height?: number };
  /**
   * `'process'`: run the envs in child processes (one per env by default), for cores and integrations you do not
   * trust. A child that crashes, calls `exit()`, runs out of memory or is killed makes the pending call throw a
   * `LifecycleError` `ENV_CRASHED` naming its envs, how it ended and its last output; `restart()` replaces it, and
   * the other envs go on. No emulator or script runs in this process then: `envs` is empty. Same API and results.
   */
  isolate?: 'process';
  /** With `isolate: 'process'`: how many child processes share the envs (default: one per env). */
  processes?: number;
  /**
   * With `isolate: 'process'`: a child that takes longer than this (ms) to answer a reset or step, e.g. stuck in a
   * core or a script, is killed and reported as `ENV_CRASHED`. Default: no limit (a stuck child blocks the call).
   */
  stepTimeoutMs?: number;
}
