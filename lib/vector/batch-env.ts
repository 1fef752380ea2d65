import { libretroAxis } from '../emulator.ts';
import { cpus } from 'node:os';
import { ArgumentError, LifecycleError } from '../errors.ts';
import { loadGame, type LoadedGame } from '../env/game-loader.ts';
import { RetroEnv, stickRecordingError, type Action } from '../env/retro-env.ts';
import { fromNative, nativeAddon } from '../native.ts';
import { Box } from '../spaces/box.ts';
import { Tuple } from '../spaces/tuple.ts';
import { checkAutoreset, type Autoreset } from './autoreset.ts';
import type { BatchEnvOptions } from './batch-env-options.ts';
import type { BatchEngine } from './batch-engine.ts';
import { BatchRecorder, recordingEngine } from './batch-recorder.ts';
import { BatchResults } from './batch-results.ts';
import { EpisodeTimeLimit } from './episode-time-limit.ts';
import { ProcessBatch } from './process-batch.ts';
import type { VectorResetResult, VectorStepResult } from './vector-result.ts';
import { WorkerBatch } from './worker-batch.ts';

export type { BatchEnvOptions };

/** @deprecated Use {@link VectorStepResult}: `terminated` / `truncated` are now `terminations` / `truncations`. */
export type BatchResult = VectorStepResult;

/**
 * Many emulators of one game stepped in parallel on native threads, EnvPool-style. Scenarios with TypeScript
 * scripts, cropped or RAM observations run on worker_threads instead (same API, one copy per step). Reward and done (JSON rules
 * and Lua) are evaluated on the worker threads; each emulator renders straight into its slot of one contiguous
 * N×H×W×3 buffer (`observations`), which JS owns and can hand to TensorFlow.js without a copy.
 *
 * ```ts
 * const envs = new BatchEnv('TinyKart-Nes', { numEnvs: 8, frameskip: 4 });
 * envs.reset();
 * const actions = envs.actionSpace.sample();          // one action per env
 * const { observations, rewards, terminations } = envs.step(actions);
 * observations;                                       // Uint8Array(8 * 224 * 256 * 3), the batch buffer itself
 * envs.close();
 * ```
 * Asynchronous use: `send(actions, envIds)` then `recv()` returns the first `batchSize` envs that finished.
 *
 * With `isolate: 'process'` each env runs in a child process instead (see {@link BatchEnvOptions.isolate}).
 *
 * With `record: dir` every episode of every env becomes a `.bk2` movie in `dir`, as `make(game, { record })`
 * writes them (the unfinished ones at `close()`); not with `isolate: 'process'`.
 */
export class BatchEnv {
  readonly numEnvs: number;
  readonly batchSize: number;
  readonly autoreset: Autoreset;
  /** The native stepper's envs; in worker mode only the first, which describes the spaces; none with isolation. */
  readonly envs: readonly RetroEnv[];
  /**
   * `native` (threads in the addon), `workers` (worker_threads, for TS scripts, crop or RAM observations) or
   * `process` (child processes, with `isolate: 'process'`).
   */
  readonly engine: 'native' | 'workers' | 'process';
  /** N observations back to back: RGB frames (N×H×W×3), or what `preprocess` makes of them. */
  readonly observations: Uint8Array;
  /** N×V RAM variables (`variableNames` order). */
  readonly values: Float64Array;
  readonly rewards: Float64Array;
  /** 1 where the env's last step ended its episode (the game ended it). */
  readonly terminations: Uint8Array;
  /** 1 where the env's last step was cut by a time limit. */
  readonly truncations: Uint8Array;
  readonly finalObservations: Uint8Array | undefined;
  readonly finalValues: Float64Array | undefined;
  readonly hasFinal: Uint8Array | undefined;
  readonly variableNames: string[];
  readonly observationShape: readonly number[];
  /** One env's observations: what `preprocess` makes, else the game's frames. */
  readonly singleObservationSpace: Box<readonly number[], 'uint8'>;
  readonly singleActionSpace: RetroEnv['actionSpace'];
  private readonly native: BatchEngine;
  private readonly timeLimit: EpisodeTimeLimit | undefined;
  private readonly results: BatchResults;
  private readonly isolated: ProcessBatch | undefined;
  /** With `record`: the movies of every env's episodes. */
  private readonly recorder: BatchRecorder | undefined;
  private readonly frameBytes: number;
  private readonly players: number;
  /** Stick axes per env (x, y per player and stick); 0 for buttons-only actions. */
  private readonly stickAxes: number = 0;
  private closed = false;
  private releaseEnvs: (() => void)[] = [];
  /** The loaded games behind `envs`, whose sessions the native stepper steps. */
  private readonly games: readonly LoadedGame[] = [];

  constructor(game: string, options: BatchEnvOptions) {
    const { numEnvs, batchSize = numEnvs, threads = cpus().length, pinThreads = true, autoreset = 'next-step', maxEpisodeSteps, preprocess, isolate, processes = numEnvs, stepTimeoutMs, record, ...makeOptions } = options;
    if (!Number.isInteger(numEnvs) || numEnvs < 1) throw new ArgumentError('INVALID_ARGUMENT', `numEnvs must be a positive integer, got ${numEnvs}`);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > numEnvs) {
      throw new ArgumentError('INVALID_ARGUMENT', `batchSize must be an integer in [1, ${numEnvs}], got ${batchSize}`);
    }
    checkAutoreset(autoreset);
    if (maxEpisodeSteps !== undefined && (!Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps < 1)) {
      throw new ArgumentError('INVALID_ARGUMENT', `maxEpisodeSteps must be a positive integer, got ${maxEpisodeSteps}`);
    }
    if (maxEpisodeSteps !== undefined && autoreset === 'same-step' && batchSize !== numEnvs) {
      throw new ArgumentError('INVALID_ARGUMENT', 'maxEpisodeSteps with same-step autoreset needs batchSize = numEnvs');
    }
    if (isolate !== undefined && isolate !== 'process') throw new ArgumentError('INVALID_ARGUMENT', `isolate must be 'process' or left out, got ${String(isolate)}`);
    if (!Number.isInteger(processes) || processes < 1) throw new ArgumentError('INVALID_ARGUMENT', `processes must be a positive integer, got ${processes}`);
    if (stepTimeoutMs !== undefined && (!Number.isInteger(stepTimeoutMs) || stepTimeoutMs < 1)) {
      throw new ArgumentError('INVALID_ARGUMENT', `stepTimeoutMs must be a positive integer, got ${stepTimeoutMs}`);
    }
    for (const name of ['processes', 'stepTimeoutMs'] as const) {
      if (options[name] !== undefined && isolate !== 'process') throw new ArgumentError('INVALID_ARGUMENT', `${name} needs isolate: 'process'`);
    }
    // The batch records from the jobs it sends (its envs step past RetroEnv.step); a child process's envs are out of its reach.
    if (record !== undefined && isolate === 'process') {
      throw new ArgumentError('INVALID_ARGUMENT', "record is not supported with isolate: 'process': leave isolate out, or record single envs made with make(game, { record })", { field: 'record' });
    }
    if (record !== undefined && (typeof record !== 'string' || record === '')) throw new ArgumentError('INVALID_ARGUMENT', `record must be a folder path, got ${String(record)}`, { field: 'record' });
    // Checked before any emulator exists, so a bad option leaks nothing.
    for (const name of ['width', 'height'] as const) {
      const v = preprocess?.[name];
      if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > 4096)) throw new ArgumentError('INVALID_ARGUMENT', `preprocess.${name} must be an integer in [1, 4096], got ${v}`);
    }
    this.numEnvs = numEnvs;
    this.batchSize = batchSize;
    this.autoreset = autoreset;
    if (isolate === 'process') {
      // Nothing of the game runs here: the children make the envs (preprocessing included) and describe them.
      this.isolated = new ProcessBatch({ game, options: { ...makeOptions, preprocess }, numEnvs, processes, autoreset, stepTimeoutMs });
      this.engine = 'process';
      this.envs = [];
      const { observationShape, players, variableNames } = this.isolated.description;
      this.singleActionSpace = this.isolated.actionSpace as RetroEnv['actionSpace'];
      this.observationShape = observationShape;
      this.players = players;
      this.variableNames = variableNames;
    } else {
      // The batch keeps each game's session for the native stepper; `envs` are the views users know.
      const open = (): RetroEnv => {
        const loaded = loadGame(game, makeOptions);
        const env = new RetroEnv(game, makeOptions, loaded);
        games.push(loaded);
        return env;
      };
      const games: LoadedGame[] = [];
      const first = open();
      this.engine = games[0].ts || games[0].crop || first.obsType !== 'image' ? 'workers' : 'native';
      const envs: RetroEnv[] = [first];
      this.envs = envs;
      this.games = games;
      try {
        if (this.engine === 'native') for (let i = 1; i < numEnvs; i++) envs.push(open());
        if (preprocess && this.engine === 'workers') {
          throw new ArgumentError('INVALID_ARGUMENT', 'preprocess needs the native stepper: it is not available for TS-script scenarios, crop or RAM observations');
        }
        this.variableNames = Object.keys(first.reset().info);
      } catch (e) {
        for (const env of envs) env.close();
        throw e;
      }
      this.singleActionSpace = first.actionSpace;
      this.stickAxes = first.analog ? first.players * first.emulator.sticks * 2 : 0;
      const [frameHeight, frameWidth] = first.observationSpace.shape!;
      const outWidth = preprocess?.width ?? frameWidth;
      const outHeight = preprocess?.height ?? frameHeight;
      this.observationShape = !preprocess ? first.observationSpace.shape! : preprocess.grayscale ? [outHeight, outWidth] : [outHeight, outWidth, 3];
      this.players = first.players;
    }
    this.singleObservationSpace = new Box(0, 255, this.observationShape, 'uint8');
    const envs = this.envs;
    try {
      this.frameBytes = this.observationShape.reduce((a, b) => a * b, 1);
      // Worker mode shares its buffers with the workers; the native stepper and the children write into ordinary
      // JS memory.
      const shared = this.engine === 'workers';
      const bytes = (n: number) => (shared ? new Uint8Array(new SharedArrayBuffer(n)) : new Uint8Array(n));
      const doubles = (n: number) => (shared ? new Float64Array(new SharedArrayBuffer(8 * n)) : new Float64Array(n));
      this.observations = bytes(numEnvs * this.frameBytes);
      this.values = doubles(numEnvs * this.variableNames.length);
      this.rewards = doubles(numEnvs * this.players);
      this.terminations = bytes(numEnvs);
      this.truncations = new Uint8Array(numEnvs);
      if (autoreset === 'same-step') {
        this.finalObservations = bytes(numEnvs * this.frameBytes);
        this.finalValues = doubles(numEnvs * this.variableNames.length);
        this.hasFinal = bytes(numEnvs);
      }
      this.results = new BatchResults(this, { frameBytes: this.frameBytes, players: this.players, variableNames: this.variableNames });
      if (maxEpisodeSteps !== undefined) this.timeLimit = new EpisodeTimeLimit(numEnvs, maxEpisodeSteps, autoreset, this);
      const outputs = {
        observations: this.observations,
        values: this.values,
        rewards: this.rewards,
        terminated: this.terminations,
        finalObservations: this.finalObservations,
        finalValues: this.finalValues,
        hasFinal: this.hasFinal,
      };
      if (this.isolated) {
        const isolated = this.isolated;
        isolated.bindOutputs(outputs);
        this.native = {
          send: (ids, actions) => isolated.send(ids, actions),
          sendReset: (ids) => isolated.sendReset(ids),
          recv: (n) => isolated.recv(n),
          close: () => isolated.close(),
        };
        return;
      }
      if (record !== undefined) {
        const first = envs[0];
        if (first.analog) throw stickRecordingError();
        this.recorder = new BatchRecorder({
          dir: record,
          game: { game, system: first.integration.system, players: this.players, stateName: first.stateName },
          numEnvs,
          startState: first.startState,
          frameskip: first.frameskip,
          autoreset,
        });
      }
      // From here on the native stepper holds the envs' sessions: they are the batch's to step and close.
      this.releaseEnvs = envs.map((env) => env.adopt('BatchEnv'));
      if (this.engine === 'workers') {
        const workers = new WorkerBatch({ game, options: makeOptions, numEnvs, threads: Math.max(1, threads), players: this.players, autoreset, outputs });
        this.native = this.recording({
          send: (ids, actions) => {
            const { masks, sticks } = this.inputs(actions);
            workers.send(ids, masks, sticks, this.players);
          },
          sendReset: (ids) => workers.sendReset(ids),
          recv: (n) => workers.recv(n),
          close: () => workers.close(),
        });
        return;
      }
      const [frameHeight, frameWidth] = envs[0].observationSpace.shape!;
      const { NativeBatch } = nativeAddon();
      const stepper = new NativeBatch(
        this.games.map((g) => g.session.native),
        this.games.map((g) => g.initialState),
        {
          threads: Math.max(1, threads),
          pinThreads,
          frameskip: envs[0].frameskip,
          maxPool: envs[0].maxPool,
          ports: this.players,
          sticks: this.stickAxes / 2 / this.players,
          observationBytes: this.frameBytes,
          autoreset,
          preprocess: preprocess && { gray: preprocess.grayscale ?? false, width: this.observationShape[1], height: this.observationShape[0], frameWidth, frameHeight },
        },
        outputs,
      );
      this.native = this.recording({
        send: (ids, actions) => {
          const { masks, sticks } = this.inputs(actions);
          stepper.send(ids, masks, libretroAxes(sticks));
        },
        sendReset: (ids) => stepper.sendReset(ids),
        recv: (n) => stepper.recv(n),
        close: () => stepper.close(),
      });
    } catch (error) {
      // Whatever was made is closed again: a failed constructor leaks no emulator or child process.
      for (const release of this.releaseEnvs) release();
      for (const env of envs) env.close();
      this.isolated?.close();
      throw error;
    }
  }

  /** `Box [N, ...single shape]`: the observations of all envs, as `step()` returns them. */
  get observationSpace(): Box<readonly number[], 'uint8'> {
    return new Box(0, 255, [this.numEnvs, ...this.observationShape], 'uint8');
  }

  /** One action per env: its `sample()` is an array `step()` takes. */
  get actionSpace(): Tuple<readonly RetroEnv['actionSpace'][]> {
    return new Tuple(new Array(this.numEnvs).fill(this.singleActionSpace));
  }

  /** @deprecated Renamed {@link terminations}. */
  get terminated(): Uint8Array {
    return this.terminations;
  }

  /** With `isolate: 'process'`: the PID of each env's child process (for monitoring). Empty otherwise. */
  get pids(): readonly number[] {
    return this.isolated?.pids ?? [];
  }

  private check(): void {
    if (this.closed) throw new LifecycleError('ENV_CLOSED', 'the batch env is closed');
  }

  private ids(envIds: ArrayLike<number> | undefined): Uint32Array {
    if (envIds === undefined) return Uint32Array.from({ length: this.numEnvs }, (_, i) => i);
    const ids = Uint32Array.from(envIds);
    if (ids.length !== envIds.length || Array.from(envIds).some((id, i) => id !== ids[i] || id >= this.numEnvs)) {
      throw new ArgumentError('INVALID_ARGUMENT', `envIds must be integers in [0, ${this.numEnvs - 1}]`);
    }
    if (new Set(ids).size !== ids.length) throw new ArgumentError('INVALID_ARGUMENT', 'envIds must not repeat');
    return ids;
  }

  /** Resets every env (or those listed) to its start state and waits for them. */
  reset(args: { envIds?: ArrayLike<number> } = {}): VectorResetResult {
    this.check();
    const ids = this.ids(args.envIds);
    this.call(() => this.native.sendReset(ids));
    const done = this.call(() => this.native.recv(ids.length));
    this.timeLimit?.restarted(done);
    return this.results.read(sortIds(done));
  }

  /** Queues one action per listed env (default: all envs, actions in env order). */
  send(actions: readonly Action[], envIds?: ArrayLike<number>): void {
    this.check();
    const ids = this.ids(envIds);
    if (actions.length !== ids.length) throw new ArgumentError('INVALID_ACTION', `${actions.length} actions for ${ids.length} envs`);
    const resets = this.timeLimit?.plan(ids);
    if (!resets?.includes(true)) {
      this.call(() => this.native.send(ids, actions));
      return;
    }
    // Envs truncated last step (next-step autoreset) are reset instead; their actions are ignored.
    const stepping = ids.filter((_, i) => !resets[i]);
    if (stepping.length > 0) this.call(() => this.native.send(stepping, actions.filter((_, i) => !resets[i])));
    this.call(() => this.native.sendReset(ids.filter((_, i) => resets[i])));
  }

  /** With `record`, `engine` with every job also told to the recorder ({@link recordingEngine}). */
  private recording(engine: BatchEngine): BatchEngine {
    return this.recorder === undefined ? engine : recordingEngine(engine, this.recorder, (actions) => this.inputs(actions).masks, this.terminations);
  }

  /**
   * What the actions hold on the pads, for the in-process engines: one button mask per env and player, and the
   * stick axes per env (x, y per player and stick; none without sticks). INVALID_ACTION before anything is sent.
   */
  private inputs(actions: readonly Action[]): { masks: Uint16Array; sticks: Float64Array } {
    const masks = new Uint16Array(actions.length * this.players);
    const sticks = new Float64Array(actions.length * this.stickAxes);
    actions.forEach((action, i) => {
      const input = this.envs[0].actionToInput(action);
      input.masks.forEach((m, p) => (masks[i * this.players + p] = m));
      sticks.set(input.sticks, i * this.stickAxes);
    });
    return { masks, sticks };
  }

  /** Waits for the first `batchSize` envs that finished and returns their results. */
  recv(): VectorStepResult {
    this.check();
    return this.results.read(this.stepped(this.call(() => this.native.recv(this.batchSize))));
  }

  /** send() to every env, then recv() all of them; results in env order. */
  step(actions: readonly Action[]): VectorStepResult {
    if (this.batchSize !== this.numEnvs) throw new ArgumentError('INVALID_ARGUMENT', 'step() needs batchSize = numEnvs; use send()/recv()');
    this.send(actions);
    this.check();
    return this.results.read(this.stepped(sortIds(this.call(() => this.native.recv(this.numEnvs)))));
  }

  /**
   * With `isolate: 'process'`: replaces the child process of each env listed (default: of every crashed env) with a
   * fresh one and resets its envs; a live one is killed first and its pending results are dropped. Other envs are
   * not touched, even in flight. Returns the restarted envs' first observations (all envs of those processes).
   */
  restart(envIds?: ArrayLike<number>): VectorStepResult {
    this.check();
    const isolated = this.isolated;
    if (!isolated) throw new ArgumentError('INVALID_ARGUMENT', `restart() needs isolate: 'process' (this batch runs on the ${this.engine} engine)`);
    const ids = envIds === undefined ? undefined : this.ids(envIds);
    const restarted = this.call(() => isolated.restart(ids));
    this.timeLimit?.restarted(restarted);
    return this.results.read(restarted);
  }

  /** Applies the time limit to the envs the engine answered for; same-step resets the truncated ones now. */
  private stepped(ids: Uint32Array): Uint32Array {
    const truncated = this.timeLimit?.counted(ids);
    this.recorder?.truncated(ids, this.truncations);
    if (truncated && truncated.length > 0) this.resetTruncated(Uint32Array.from(truncated));
    return ids;
  }

  /** Same-step autoreset of envs a time limit cut: as the engines do after a termination (nothing else in flight). */
  private resetTruncated(ids: Uint32Array): void {
    const rewards = this.results.keepFinal(ids);
    this.call(() => this.native.sendReset(ids));
    this.call(() => this.native.recv(ids.length));
    this.results.restoreFinal(ids, rewards);
  }

  /** Calls an engine, rethrowing the addon's errors (and the workers', which carry its codes) as typed errors. */
  private call<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw fromNative(e);
    }
  }

  /**
   * Stops the workers (after their current step) and closes every emulator. With `record`, writes the unfinished
   * episodes first (a failed write is thrown once everything is closed). A second close() does nothing.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.native?.close();
    } finally {
      for (const release of this.releaseEnvs) release();
      for (const env of this.envs) env.close();
    }
  }
}

/** Stick axes in [-1, 1], x then y, as libretro's int16 axes, converted as `Emulator.setStick` converts them. */
function libretroAxes(sticks: Float64Array): Int16Array {
  return Int16Array.from(sticks, (v, i) => libretroAxis(v, i % 2 === 0 ? 'x' : 'y'));
}

function sortIds(ids: Uint32Array): Uint32Array {
  return ids.slice().sort();
}
