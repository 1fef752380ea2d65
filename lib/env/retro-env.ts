import type { CoreInUse, Emulator } from '../emulator.ts';
import { ArgumentError, LifecycleError } from '../errors.ts';
import type { Integration } from '../integration/types.ts';
import { Rng } from '../rng.ts';
import { MovieRecorder } from '../movie/movie-recorder.ts';
import { Box } from '../spaces/box.ts';
import type { Env } from './env.ts';
import { Actions, buttonNames, comboGroups } from './action-codec.ts';
import { ActionDecoder, type Action, type ActionSpace, type PadInput } from './action-decoder.ts';
import { cropRgb, croppedShape } from './crop.ts';
import { loadGame, type LoadedGame } from './game-loader.ts';
import { registerFastPath, type StepOutcome } from './native-fast-path.ts';
import { Observations, type MakeOptions, type Preprocess, type StepResult } from './make-options.ts';
import { resetTsScenario, stepTsScenario, type TsEpisode } from './ts-frame-loop.ts';

export { State, Observations, type MakeOptions, type Preprocess, type StepResult } from './make-options.ts';
export type { Action, ActionSpace, ButtonAction, PadInput, StickAction } from './action-decoder.ts';
export type { ScriptLimits, TrustScripts } from './scenario-plan.ts';
export { nativeFastPath, type NativeFastPath, type StepOutcome } from './native-fast-path.ts';

/**
 * A game as a Gymnasium-style environment: `reset()`, `step(action)`, typed spaces, `info` with the RAM variables
 * of the integration's data.json, reward and done from its scenario (JSON rules and Lua evaluated natively; a
 * `ts:` script runs in JS after each step).
 *
 * ```ts
 * const env = make('TinyKart-Nes');
 * let { observation, info } = env.reset({ seed: 1 });
 * const { reward, terminated } = env.step(env.actionSpace.sample());
 * env.close();
 * ```
 * Image observations are zero-copy: `observation` is a view of a buffer the env rewrites on the next `step()` or
 * `reset()` (as in ALE and EnvPool). Keep one past that with `observation.slice()`; wrappers that hold frames, such
 * as `FrameStack`, copy. RAM observations are copies.
 */
export class RetroEnv implements Env<Uint8Array, Action, Box<readonly number[], 'uint8'>, ActionSpace> {
  readonly game: string;
  readonly integration: Integration;
  readonly emulator: Emulator;
  readonly players: number;
  readonly frameskip: number;
  readonly maxPool: boolean;
  readonly preprocess: Preprocess | undefined;
  readonly useRestrictedActions: Actions;
  readonly obsType: Observations;
  /** Whether actions carry the pads' analog sticks (systems with sticks, unless made with `analog: false`). */
  readonly analog: boolean;
  readonly actionSpace: ActionSpace;
  readonly observationSpace: Box<readonly number[], 'uint8'>;
  readonly stateName: string | null;
  /** Seeded at `reset({ seed })`; for wrappers that need randomness tied to the episode seed. */
  rng: Rng = Rng.fromSeed(0);

  private readonly loaded: LoadedGame;
  private readonly actions: ActionDecoder;
  private readonly episode: TsEpisode = { state: {}, frame: 0 };
  /** The batch that steps this env, when one does (see adopt()). */
  private owner: string | undefined;
  private cropBuffer: Uint8Array | undefined;
  /** The buffer the emulator preprocesses every shown frame into, with `preprocess`. */
  private preprocessed: Uint8Array | undefined;
  private attached = false;  // the fast path's preprocess() was called
  /** With `record`: writes each episode as a movie. */
  private readonly recorder: MovieRecorder | undefined;
  private needsReset = true;
  private isClosed = false;

  /** `loaded`: a game already loaded with these options (BatchEnv keeps its session). */
  constructor(game: string, options: MakeOptions = {}, loaded: LoadedGame = loadGame(game, options)) {
    this.game = game;
    this.loaded = loaded;
    this.integration = loaded.integration;
    this.emulator = loaded.emulator;
    this.stateName = loaded.stateName;
    this.players = options.players ?? 1;
    this.frameskip = options.frameskip ?? 1;
    this.maxPool = options.maxPool ?? false;
    this.preprocess = options.preprocess;
    this.useRestrictedActions = options.useRestrictedActions ?? Actions.FILTERED;
    this.obsType = options.obsType ?? Observations.IMAGE;
    try {
      if (options.analog !== undefined && typeof options.analog !== 'boolean') {
        throw new ArgumentError('INVALID_ARGUMENT', `analog must be true or false, got ${String(options.analog)}`, { field: 'analog' });
      }
      this.analog = (options.analog ?? true) && this.emulator.sticks > 0;
      const { system } = this.integration;
      if (options.record !== undefined && this.analog) throw stickRecordingError();
      this.recorder = options.record === undefined ? undefined : new MovieRecorder(options.record, { game, system, players: this.players, stateName: this.stateName });
      // A policy that observes RAM needs no pictures: cores that ask (the N64's) then draw none.
      if (this.obsType === Observations.RAM || options.video === false) this.emulator.setVideoEnabled(false);
      const groups = comboGroups(this.emulator.buttons, loaded.scenario.actions ?? this.emulator.descriptor.actions);
      const stickAxes = this.analog ? this.players * this.emulator.sticks * 2 : 0;
      this.actions = new ActionDecoder(this.useRestrictedActions, groups, this.emulator.buttons.length, this.players, loaded.scenarioFile, stickAxes);
      this.actionSpace = this.actions.space;
      this.observationSpace = this.makeObservationSpace();
      if (this.preprocess) this.preprocessed = this.setUpPreprocessing(this.preprocess);
    } catch (e) {
      loaded.session.close();
      loaded.emulator.close();
      throw e;
    }
    registerFastPath(this, {
      whyNotPreprocess: () => {
        if (this.obsType !== Observations.IMAGE) return 'the env observes RAM';
        if (loaded.crop) return "the env's scenario crops the picture";
        if (this.preprocess) return 'the env was made with its own preprocess';
        return this.attached ? 'the env already preprocesses for another wrapper' : undefined;
      },
      preprocess: (p) => this.attachPreprocessing(p),
      stepFrames: (action, frames, maxPool) => this.stepFrames(action, frames, maxPool),
    });
  }

  /** The state `reset()` loads when not given another (a copy): what a recorded movie starts from. */
  get startState(): Buffer {
    return Buffer.from(this.loaded.initialState);
  }

  /** Which core runs this env: install name, library name and version, and file (see `make(game, { core })`). */
  get core(): CoreInUse {
    return this.emulator.core;
  }

  /** Buttons of one player, by bit. */
  get buttons(): readonly (string | null)[] {
    return this.emulator.buttons;
  }

  /** Starts an episode from the start state. `seed` seeds `env.rng` (the game itself is deterministic). */
  reset(args: { seed?: number; options?: { state?: string } } = {}): { observation: Uint8Array; info: Record<string, number> } {
    this.checkNotOwned('reset');
    if (args.seed !== undefined) this.rng = Rng.fromSeed(args.seed);
    const state = args.options?.state;
    // Loads the state, releases the buttons and runs one frame so the first observation shows that state.
    const start = state === undefined ? this.loaded.initialState : this.loaded.stateBytes(state);
    this.loaded.session.restart(start);
    this.recorder?.begin(start);
    this.episode.state = {};
    this.episode.frame = 0;
    this.needsReset = false;
    const info = this.loaded.session.info();
    if (this.loaded.ts) resetTsScenario(this.loaded.ts, this.episode, info);
    return { observation: this.observe(), info };
  }

  /** Decodes an action into one button mask per player; throws INVALID_ACTION for anything outside actionSpace. */
  actionToMasks(action: Action): number[] {
    return this.actions.masks(action);
  }

  /**
   * Decodes an action into what it holds on the pads: one button mask per player and, with `analog`, the sticks'
   * axes (x, y per player and stick, right and up positive). Throws INVALID_ACTION for anything outside actionSpace.
   */
  actionToInput(action: Action): PadInput {
    return this.actions.decode(action);
  }

  step(action: Action): StepResult {
    const result = this.stepFrames(action, this.frameskip, this.maxPool);
    return { observation: this.observe(), ...result };
  }

  /** A step of `frames` frames, optionally max-pooling the last two, that makes no observation. */
  private stepFrames(action: Action, frames: number, maxPool: boolean): StepOutcome {
    this.checkNotOwned('step');
    if (this.needsReset) throw new LifecycleError('ENV_NOT_RESET', 'call reset() before step()');
    const { masks, sticks } = this.actions.decode(action);
    masks.forEach((mask, port) => this.emulator.setButtons(port, mask));
    this.holdSticks(sticks);
    const outcome = this.runFrames(frames, maxPool);
    if (this.recorder) {
      this.recorder.add(masks, frames);
      if (outcome.terminated) this.recorder.finish();
    }
    return outcome;
  }

  /** Holds each player's sticks (x, y per stick, player after player); `reset()` centres them again. */
  private holdSticks(axes: readonly number[]): void {
    const sticks = this.emulator.sticks;
    for (let i = 0; i + 1 < axes.length; i += 2) {
      const stick = (i / 2) % sticks;
      this.emulator.setStick(Math.floor(i / 2 / sticks), axes[i], axes[i + 1], stick);
    }
  }

  private runFrames(frames: number, maxPool: boolean): StepOutcome {
    const { session, ts } = this.loaded;
    if (ts) {
      const { rewards, terminated, info } = stepTsScenario(session, ts, this.episode, this.players, frames, maxPool);
      return { reward: rewards[0], rewards, terminated, truncated: false, info };
    }
    session.step(frames, maxPool);
    this.episode.frame += frames;
    const rewards = Array.from(session.rewards);
    return { reward: rewards[0], rewards, terminated: session.done, truncated: false, info: session.info() };
  }

  /**
   * Preprocesses every frame this env shows natively (gray and/or area resize; with stepFrames(.., maxPool) the
   * last two frames pooled in between, in Gymnasium's order) into the returned buffer, which each step overwrites.
   * The env's own observations are unchanged: its RGB frames are then converted only when read.
   */
  private attachPreprocessing(p: Preprocess): Uint8Array {
    this.checkNotOwned('change the preprocessing of');
    if (this.preprocess) throw new ArgumentError('INVALID_ARGUMENT', 'this env was made with its own preprocess', { field: 'preprocess' });
    if (this.attached) throw new ArgumentError('INVALID_ARGUMENT', 'this env already preprocesses for another wrapper');
    const out = this.setUpPreprocessing(p);
    this.attached = true;
    return out;
  }

  private setUpPreprocessing(p: Preprocess): Uint8Array {
    if (this.obsType !== Observations.IMAGE || this.loaded.crop) {
      throw new ArgumentError('INVALID_ARGUMENT', 'preprocess works on image observations without a scenario crop');
    }
    const [frameHeight, frameWidth] = this.imageShape();
    const shape = this.preprocessedShape(p);
    const spec = { gray: p.grayscale ?? false, width: shape[1], height: shape[0], frameWidth, frameHeight };
    return this.loaded.session.preprocess(spec, shape.reduce((a, b) => a * b, 1));
  }

  /** [height, width] gray or [height, width, 3] RGB, the frame's own size where `p` leaves one out. */
  private preprocessedShape(p: Preprocess): number[] {
    const [frameHeight, frameWidth] = this.imageShape();
    const width = p.width ?? frameWidth;
    const height = p.height ?? frameHeight;
    for (const [name, v] of [['width', width], ['height', height]] as const) {
      if (!Number.isInteger(v) || v < 1 || v > 4096) throw new ArgumentError('INVALID_ARGUMENT', `preprocess.${name} must be an integer in [1, 4096], got ${v}`);
    }
    return p.grayscale ? [height, width] : [height, width, 3];
  }

  private makeObservationSpace(): Box<readonly number[], 'uint8'> {
    if (this.preprocess) return new Box(0, 255, this.preprocessedShape(this.preprocess), 'uint8');
    if (this.obsType === Observations.RAM) return new Box(0, 255, [this.emulator.memory.systemRam?.length ?? 0], 'uint8');
    return new Box(0, 255, [...this.imageShape(), 3], 'uint8');
  }

  private imageShape(): [number, number] {
    const { baseWidth, baseHeight } = this.emulator.avInfo;
    return croppedShape(this.loaded.crop, baseWidth, baseHeight);
  }

  private check(): void {
    if (this.isClosed) throw new LifecycleError('ENV_CLOSED', `the ${this.game} env is closed`);
  }

  /** Like check(), and refuses what would race with (or free the emulator under) a batch stepping this env. */
  private checkNotOwned(action: string): void {
    this.check();
    if (this.owner) throw new LifecycleError('ENV_OWNED', `cannot ${action} this ${this.game} env: it belongs to a ${this.owner}; use the ${this.owner}'s own methods`);
  }

  private observe(): Uint8Array {
    // slice() copies at memory speed; Uint8Array.from would go element by element (8 MiB on the N64).
    if (this.obsType === Observations.RAM) return this.emulator.memory.systemRam?.slice() ?? new Uint8Array(0);
    // The emulator preprocesses every shown frame into this buffer natively.
    if (this.preprocessed) return this.preprocessed;
    return this.frameView();
  }

  /** The current frame as a fresh H×W×3 RGB array (cropped as the scenario says). */
  render(): Uint8Array {
    return this.frameView().slice();
  }

  /** The current frame, cropped, as a view that the next step overwrites. */
  private frameView(): Uint8Array {
    this.check();
    const { data, width } = this.emulator.getFrame();
    const shape = this.imageShape();
    return cropRgb(data, width, this.loaded.crop, shape, () => (this.cropBuffer ??= new Uint8Array(shape[0] * shape[1] * 3)));
  }

  /** Names of the buttons an action presses, one list per player. */
  getActionMeaning(action: Action): string[][] {
    return this.actions.masks(action).map((m) => buttonNames(m, this.emulator.buttons));
  }

  saveState(): Buffer {
    this.check();
    return this.emulator.saveState();
  }

  loadState(state: Uint8Array): void {
    this.checkNotOwned('load a state into');
    this.emulator.loadState(state);
    this.loaded.session.reset();  // runs the Lua scripts' top level afresh
  }

  /**
   * For BatchEnv: marks this env as stepped by `owner` on other threads, so that stepping, resetting or closing
   * it directly (which would race with the workers or free the emulator under them) is refused with ENV_OWNED.
   * Returns the function that gives it back. Not for general use.
   */
  adopt(owner: string): () => void {
    this.check();
    if (this.owner) throw new LifecycleError('ENV_OWNED', `this ${this.game} env already belongs to a ${this.owner}`);
    this.owner = owner;
    return () => {
      this.owner = undefined;
    };
  }

  close(): void {
    if (this.isClosed) return;
    if (this.owner) throw new LifecycleError('ENV_OWNED', `cannot close this ${this.game} env: it belongs to a ${this.owner}; close the ${this.owner}`);
    this.isClosed = true;
    this.loaded.session.close();
    this.emulator.close();
    this.recorder?.finish();  // from memory: needs no emulator
  }

  get closed(): boolean {
    return this.isClosed;
  }
}

/** Movies hold buttons only: a stick env refuses to record rather than write movies that replay differently. */
export function stickRecordingError(): ArgumentError {
  return new ArgumentError(
    'INVALID_ARGUMENT',
    "movies record buttons only, and this system's pads have analog sticks: make the env with analog: false to record it (its sticks then stay centred)",
    { field: 'record' },
  );
}

/** Creates an environment for a game: `make('TinyKart-Nes', { state: 'Track1' })`. */
export function make(game: string, options: MakeOptions = {}): RetroEnv {
  return new RetroEnv(game, options);
}
