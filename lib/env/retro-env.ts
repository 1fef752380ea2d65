import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Emulator, type AvInfo } from '../emulator.ts';
import { ArgumentError, IntegrationError, LifecycleError, RetroError, StateError } from '../errors.ts';
import { isSafeStateName, STATE_NAME_RULE } from '../integration/safe-names.ts';
import { getIntegration, getRomPath, locateGame } from '../integration/data-api.ts';
import { builtStatesDir, type LookupOptions } from '../integration/paths.ts';
import type { Integration, Scenario } from '../integration/types.ts';
import { readJsonFile } from '../integration/json-file.ts';
import { validateDocument } from '../integration/schemas.ts';
import { nativeAddon } from '../native.ts';
import { readStateFile } from '../state-file.ts';
import { Rng } from '../rng.ts';
import { Box } from '../spaces/box.ts';
import { Discrete, MAX_DISCRETE_N } from '../spaces/discrete.ts';
import { MultiBinary } from '../spaces/multi-binary.ts';
import { MultiDiscrete } from '../spaces/multi-discrete.ts';
import {
  Actions,
  buttonNames,
  comboGroups,
  decodeDiscrete,
  decodeMultiBinary,
  decodeMultiDiscrete,
  filterMask,
  type ComboGroup,
} from './action-codec.ts';
import { buildRecipeStates, recipeStatePath, type RecipeGame } from './boot-recipe.ts';
import { cropMisfit } from './crop.ts';
import { planScenario, scriptErrorFrom, scriptPolicyProblem, type ScriptLimits, type TrustScripts, type TsScenario } from './scenario-plan.ts';
import { unmappedVariableError } from './unmapped-variable.ts';

export type { ScriptLimits, TrustScripts } from './scenario-plan.ts';

/** Frame outputs of NativeSession.stepFrame (native/emulator.h FrameOutput). */
const FRAME_HOLD = 0;
const FRAME_SHOW = 1;
const FRAME_SHOW_POOLED = 2;
const FRAME_SKIP = 3;

/** Start-state choices besides a state's name, as stable-retro's `retro.State`. */
export const State = {
  /** The integration's `default_state` from metadata.json (power-on when it names none). */
  DEFAULT: '__default__',
  /** Power-on: no state loaded. */
  NONE: '__none__',
} as const;

/** What observations are, as stable-retro's `retro.Observations`. */
export const Observations = { IMAGE: 'image', RAM: 'ram' } as const;
export type Observations = (typeof Observations)[keyof typeof Observations];

export interface MakeOptions extends LookupOptions {
  /** A state name, `State.DEFAULT` (default) or `State.NONE`. */
  state?: string;
  /** A scenario name of the integration (`scenario` by default) or a path to a scenario .json. */
  scenario?: string;
  /** A path to a data.json to use instead of the integration's. */
  info?: string;
  /** How actions are encoded; `Actions.FILTERED` by default, like stable-retro. */
  useRestrictedActions?: Actions;
  /** `image` (H×W×3 uint8, default) or `ram` (the system RAM, uint8). */
  obsType?: Observations;
  /** Players controlled by the agent (1 by default). */
  players?: number;
  /**
   * Frames emulated per step with the same input (1 by default), natively. The scenario is evaluated after every
   * frame: rewards are summed, and the step stops early at the frame that ends the episode.
   */
  frameskip?: number;
  /**
   * With frameskip > 1: observe the max of the last two frames (removes sprite flicker, as Atari wrappers do). With
   * `preprocess`, the frames are pooled after greying and before resizing, in Gymnasium's order.
   */
  maxPool?: boolean;
  /**
   * Native observation preprocessing: grey (one channel) and/or an area resize, e.g.
   * `{ grayscale: true, width: 84, height: 84 }` gives `Box [84, 84]`. Image observations only, without crop.
   * The emulator preprocesses straight from the core's picture and converts nothing else; `render()` still gives
   * the RGB frame (converted when asked for).
   */
  preprocess?: Preprocess;
  /** Core option overrides. */
  coreOptions?: Record<string, string>;
  /**
   * Limits on Lua scenario scripts, each a positive integer: `instructions` (Lua VM instructions per call, default
   * 10,000,000), `timeoutMs` (wall clock per call, default 1,000) and `memoryBytes` (the script's Lua state, default
   * 64 MiB). A call is the top level of each script file (run at every reset) or one reward or done call (one per
   * frame). Over a limit the call fails with a `ScriptError` `SCRIPT_TIMEOUT` or `SCRIPT_MEMORY` naming the file and
   * function, from `make()`, `reset()`, `step()` or a BatchEnv's `recv()`; the env can still be closed. String
   * patterns and table functions whose worst case would not fit `timeoutMs` are refused up front (`SCRIPT_TIMEOUT`).
   * Defaults leave ordinary scripts orders of magnitude of room. E.g. `{ instructions: 1_000_000, timeoutMs: 100 }`.
   */
  scriptLimits?: ScriptLimits;
  /**
   * Which TypeScript scenario scripts (`ts:` functions) may load; they run with the full privileges of this process.
   * `true` (default): all, like any npm code you install. `false`: only those of the integrations bundled with this
   * package; any other refuses with a `ScriptError` `SCRIPT_UNTRUSTED` naming the script. A list of folders
   * (integration folders, or folders of them): those too. Lua scripts are sandboxed and always allowed.
   */
  trustScripts?: TrustScripts;
}

export type Action = number | ArrayLike<number>;

export interface Preprocess {
  grayscale?: boolean;
  width?: number;
  height?: number;
}

export interface StepResult {
  observation: Uint8Array;
  /** Player 1's reward; every player's is in `rewards`. */
  reward: number;
  rewards: number[];
  terminated: boolean;
  truncated: boolean;
  info: Record<string, number>;
}

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
export class RetroEnv {
  readonly game: string;
  readonly integration: Integration;
  readonly emulator: Emulator;
  readonly players: number;
  readonly frameskip: number;
  readonly maxPool: boolean;
  readonly preprocess: Preprocess | undefined;
  readonly useRestrictedActions: Actions;
  readonly obsType: Observations;
  readonly actionSpace: Discrete | MultiBinary | MultiDiscrete;
  readonly observationSpace: Box<readonly number[], 'uint8'>;
  readonly stateName: string | null;
  /** Seeded at `reset({ seed })`; for wrappers that need randomness tied to the episode seed. */
  rng: Rng = Rng.fromSeed(0);

  private readonly session: {
    bindOutputs(v: Float64Array, r: Float64Array, d: Uint8Array): void;
    reset(): void;
    restart(state: Uint8Array): void;
    step(frames: number, maxPool?: boolean): void;
    stepFrame(output: number): void;
    showLastFrame(): void;
    setObservation(spec: object, out: Uint8Array): void;
    close(): void;
  };
  private readonly variableNames: string[];
  private readonly values: Float64Array;
  private readonly rewardOut: Float64Array;
  private readonly doneOut = new Uint8Array(1);
  private readonly groups: ComboGroup[];
  private readonly ts: TsScenario | undefined;
  private tsState: Record<string, unknown> = {};
  private readonly initialState: Buffer;
  private readonly powerOnState: Buffer;
  private readonly crop: [number, number, number, number] | undefined;
  private readonly scenarioFile: string;
  private readonly romPath: string;
  private readonly lookup: LookupOptions;
  /** The batch that steps this env, when one does (see adopt()). */
  private owner: string | undefined;
  private cropBuffer: Uint8Array | undefined;
  private preprocessed: Uint8Array | undefined;
  private attached = false;  // attachPreprocessing() was called
  private frame = 0;
  private needsReset = true;
  private isClosed = false;

  constructor(game: string, options: MakeOptions = {}) {
    this.game = game;
    this.lookup = { integrationPaths: options.integrationPaths, dataDir: options.dataDir, env: options.env };
    const location = locateGame(game, options);
    this.integration = getIntegration(location);
    this.players = options.players ?? 1;
    this.frameskip = options.frameskip ?? 1;
    this.maxPool = options.maxPool ?? false;
    this.preprocess = options.preprocess;
    this.useRestrictedActions = options.useRestrictedActions ?? Actions.FILTERED;
    this.obsType = options.obsType ?? Observations.IMAGE;
    if (!Number.isInteger(this.players) || this.players < 1) throw new ArgumentError('INVALID_ARGUMENT', `players must be a positive integer, got ${this.players}`);
    if (!Number.isInteger(this.frameskip) || this.frameskip < 1) throw new ArgumentError('INVALID_ARGUMENT', `frameskip must be a positive integer, got ${this.frameskip}`);
    if (!Object.values(Actions).includes(this.useRestrictedActions)) {
      throw new ArgumentError('INVALID_ARGUMENT', `useRestrictedActions must be one of ${Object.values(Actions).join(', ')}`);
    }
    if (!Object.values(Observations).includes(this.obsType)) throw new ArgumentError('INVALID_ARGUMENT', `obsType must be image or ram`);
    const scriptProblem = scriptPolicyProblem(options.scriptLimits, options.trustScripts);
    if (scriptProblem) throw new ArgumentError('INVALID_ARGUMENT', scriptProblem.message, { field: scriptProblem.field });

    const { scenario, file: scenarioFile } = this.loadScenario(options.scenario);
    const data = options.info ? validateDocument('data', readJsonFile(options.info), options.info) : this.integration.data;
    const plan = planScenario(data, scenario, scenarioFile, this.integration.dir, this.players, {
      limits: options.scriptLimits,
      trust: options.trustScripts,
    });
    this.ts = plan.ts;
    this.crop = scenario.crop;
    this.scenarioFile = scenarioFile;

    this.romPath = getRomPath(location, options);
    this.emulator = new Emulator({ rom: this.romPath, system: this.integration.system, coreOptions: options.coreOptions });
    try {
      if (this.players > (this.emulator.descriptor.ports ?? 2)) {
        throw new ArgumentError('INVALID_ARGUMENT', `${game} supports at most ${this.emulator.descriptor.ports ?? 2} players`);
      }
      if (this.crop) checkCrop(this.crop, this.emulator.avInfo, scenarioFile);
      this.stateName = this.resolveStateName(options.state ?? State.DEFAULT);
      this.powerOnState = this.emulator.saveState();
      const stateFile = this.stateName === null ? undefined : this.statePath(this.stateName, options);
      this.initialState = stateFile === undefined ? this.powerOnState : readStateFile(stateFile);
      // A state this core cannot load (truncated, another core's) fails here, not at the first reset.
      withStateFile(stateFile, () => this.emulator.loadState(this.initialState));

      const { NativeSession } = nativeAddon() as unknown as { NativeSession: new (emu: unknown, config: unknown) => RetroEnv['session'] };
      try {
        this.session = new NativeSession(this.emulator.nativeHandle, plan.native);
      } catch (e) {
        throw asTyped(unmappedVariableError(e, options.info ?? join(this.integration.dir, 'data.json')), scenarioFile);
      }
      this.variableNames = plan.native.variables.map((v) => v.name);
      this.values = new Float64Array(this.variableNames.length);
      this.rewardOut = new Float64Array(this.players);
      this.session.bindOutputs(this.values, this.rewardOut, this.doneOut);

      this.groups = comboGroups(this.emulator.buttons, scenario.actions ?? this.emulator.descriptor.actions);
      this.actionSpace = this.makeActionSpace();
      this.observationSpace = this.makeObservationSpace();
      if (this.preprocess) this.preprocessed = this.setUpPreprocessing(this.preprocess);
    } catch (e) {
      this.emulator.close();
      throw e;
    }
  }

  private loadScenario(name: string | undefined): { scenario: Scenario; file: string } {
    const scenarioName = name ?? 'scenario';
    if (scenarioName.endsWith('.json')) {
      return { scenario: validateDocument('scenario', readJsonFile(scenarioName), scenarioName), file: scenarioName };
    }
    const scenario = this.integration.scenarios[scenarioName];
    if (!scenario) {
      throw new IntegrationError('SCENARIO_INVALID', `${this.game} has no scenario "${scenarioName}" (it has: ${Object.keys(this.integration.scenarios).join(', ') || 'none'})`, {
        file: join(this.integration.dir, `${scenarioName}.json`),
      });
    }
    return { scenario, file: join(this.integration.dir, `${scenarioName}.json`) };
  }

  private resolveStateName(state: string): string | null {
    if (state === State.NONE) return null;
    if (state === State.DEFAULT) return this.integration.metadata.default_state ?? null;
    return state.replace(/\.state$/, '');
  }

  /**
   * A state ships in the integration folder, or was built into the data dir from its boot recipe (see
   * `retro states build`); a missing state that has a recipe is built now, once.
   */
  private statePath(name: string, options: LookupOptions): string {
    if (!isSafeStateName(name)) throw new ArgumentError('INVALID_ARGUMENT', `${this.game}: state "${name}" refused: ${STATE_NAME_RULE}`, { field: 'state' });
    const recipes: RecipeGame = { integration: this.integration, romPath: this.romPath, statesDir: builtStatesDir(this.game, options) };
    const candidates = [join(this.integration.dir, `${name}.state`), recipeStatePath(recipes, name)];
    let found = candidates.find((p) => existsSync(p));
    if (!found && this.integration.metadata.states?.[name]?.recipe) {
      found = buildRecipeStates(recipes, [name])[0];
    }
    if (!found) {
      const available = this.integration.states.filter((s) => !s.startsWith('_'));
      throw new StateError('STATE_NOT_FOUND', `${this.game} has no state "${name}" (looked in ${candidates.join(', ')}; available: ${available.join(', ') || 'none'})`, {
        file: candidates[0],
      });
    }
    return found;
  }

  private makeActionSpace(): Discrete | MultiBinary | MultiDiscrete {
    const buttons = this.emulator.buttons.length;
    switch (this.useRestrictedActions) {
      case Actions.DISCRETE: {
        const n = this.groups.reduce((product, g) => product * g.combos.length, 1) ** this.players;
        if (n > MAX_DISCRETE_N) {
          throw new IntegrationError('SCENARIO_INVALID', `${this.scenarioFile}#/actions: the action groups make ${n.toPrecision(3)} discrete actions for ${this.players} player(s), more than the ${MAX_DISCRETE_N} a Discrete space holds: use Actions.MULTI_DISCRETE or fewer combos`, {
          file: this.scenarioFile,
          field: '/actions',
        });
        }
        return new Discrete(n);
      }
      case Actions.MULTI_DISCRETE:
        return new MultiDiscrete(Array.from({ length: this.players }, () => this.groups.map((g) => g.combos.length)).flat());
      default:
        return new MultiBinary(buttons * this.players);
    }
  }

  private setUpPreprocessing(p: Preprocess): Uint8Array {
    if (this.obsType !== Observations.IMAGE || this.crop) {
      throw new ArgumentError('INVALID_ARGUMENT', 'preprocess works on image observations without a scenario crop');
    }
    const [frameHeight, frameWidth] = this.imageShape();
    const shape = this.preprocessedShape(p);
    const out = new Uint8Array(shape.reduce((a, b) => a * b, 1));
    this.session.setObservation({ gray: p.grayscale ?? false, width: shape[1], height: shape[0], frameWidth, frameHeight }, out);
    return out;
  }

  /** [height, width] grey or [height, width, 3] RGB, the frame's own size where `p` leaves one out. */
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
    if (this.obsType === Observations.RAM) {
      const size = this.emulator.memory.systemRam?.length ?? 0;
      return new Box(0, 255, [size], 'uint8');
    }
    const [height, width] = this.imageShape();
    return new Box(0, 255, [height, width, 3], 'uint8');
  }

  private imageShape(): [number, number] {
    const { baseWidth, baseHeight } = this.emulator.avInfo;
    if (!this.crop) return [baseHeight, baseWidth];
    const [x, y, w, h] = this.crop;
    return [h || baseHeight - y, w || baseWidth - x];
  }

  private check(): void {
    if (this.isClosed) throw new LifecycleError('ENV_CLOSED', `the ${this.game} env is closed`);
  }

  /** Like check(), and refuses what would race with (or free the emulator under) a batch stepping this env. */
  private checkNotOwned(action: string): void {
    this.check();
    if (this.owner) throw new LifecycleError('ENV_OWNED', `cannot ${action} this ${this.game} env: it belongs to a ${this.owner}; use the ${this.owner}'s own methods`);
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
    const name = state === undefined ? undefined : this.resolveStateName(state);
    const start = name === undefined ? this.initialState : name === null ? this.powerOnState : readStateFile(this.statePath(name, this.lookup));
    try {
      // Loads the state, releases the buttons and runs one frame so the first observation shows that state.
      this.session.restart(start);
    } catch (e) {
      throw asTyped(e);
    }
    this.tsState = {};
    this.frame = 0;
    this.needsReset = false;
    const info = this.info();
    if (this.ts?.reset) this.callTs(this.ts.reset, info, { frame: 0, timestep: 0 });
    return { observation: this.observe(), info };
  }

  /** Decodes an action into one button mask per player; throws INVALID_ACTION for anything outside actionSpace. */
  actionToMasks(action: Action): number[] {
    if (!this.actionSpace.contains(action)) {
      throw new ArgumentError('INVALID_ACTION', `action ${describe(action)} is not in the action space ${this.actionSpace.toString()}`);
    }
    const buttons = this.emulator.buttons.length;
    switch (this.useRestrictedActions) {
      case Actions.DISCRETE:
        return decodeDiscrete(action as number, this.groups, this.players);
      case Actions.MULTI_DISCRETE:
        return decodeMultiDiscrete(action as ArrayLike<number>, this.groups, this.players);
      case Actions.FILTERED:
        return decodeMultiBinary(action as ArrayLike<number>, buttons, this.players).map((m) => filterMask(m, this.groups));
      default:
        return decodeMultiBinary(action as ArrayLike<number>, buttons, this.players);
    }
  }

  step(action: Action): StepResult {
    const result = this.stepFrames(action, this.frameskip, this.maxPool);
    return { observation: this.observe(), ...result };
  }

  /**
   * A step of `frames` frames, optionally max-pooling the last two, without making an observation: for wrappers
   * that take theirs from `attachPreprocessing()` (AtariPreprocessing does). Same per-frame semantics as step().
   */
  stepFrames(action: Action, frames: number, maxPool: boolean): Omit<StepResult, 'observation'> {
    this.checkNotOwned('step');
    if (this.needsReset) throw new LifecycleError('ENV_NOT_RESET', 'call reset() before step()');
    const masks = this.actionToMasks(action);
    masks.forEach((mask, port) => this.emulator.setButtons(port, mask));
    try {
      if (!this.ts) {
        this.session.step(frames, maxPool);
        this.frame += frames;
        const rewards = Array.from(this.rewardOut);
        return { reward: rewards[0], rewards, terminated: this.doneOut[0] === 1, truncated: false, info: this.info() };
      }
      return this.stepWithTsScenario(frames, maxPool);
    } catch (e) {
      throw asTyped(e);
    }
  }

  /**
   * Whether attachPreprocessing() can work here: image observations without a crop, no own `preprocess`, and
   * nothing attached yet (the emulator preprocesses into one buffer only).
   */
  get canAttachPreprocessing(): boolean {
    return this.obsType === Observations.IMAGE && !this.crop && !this.preprocess && !this.attached;
  }

  /**
   * Preprocesses every frame this env shows natively (grey and/or area resize; with `stepFrames(.., maxPool)` the
   * last two frames pooled in between, in Gymnasium's order) into the returned buffer, which each step overwrites.
   * The env's own observations are unchanged: its RGB frames are then converted only when read. For wrappers that
   * preprocess (AtariPreprocessing); not for an env made with its own `preprocess`.
   */
  attachPreprocessing(p: Preprocess): Uint8Array {
    this.checkNotOwned('change the preprocessing of');
    if (this.preprocess) throw new ArgumentError('INVALID_ARGUMENT', 'this env was made with its own preprocess', { field: 'preprocess' });
    if (this.attached) throw new ArgumentError('INVALID_ARGUMENT', 'this env already preprocesses for another wrapper');
    const out = this.setUpPreprocessing(p);
    this.attached = true;
    return out;
  }

  /**
   * The frame loop of a step whose reward or done is a TypeScript function: the same per-frame semantics as the
   * native loop (evaluate after every frame, sum rewards, stop at the frame that ends the episode), driven from JS.
   */
  private stepWithTsScenario(frames: number, maxPool: boolean): Omit<StepResult, 'observation'> {
    const ts = this.ts!;
    const rewards = new Array<number>(this.players).fill(0);
    let terminated = false;
    let info: Record<string, number> = {};
    for (let i = 0; i < frames; i++) {
      const last = i + 1 === frames;
      // As the native loop: keep only the frame before the last (for pooling); an early stop shows its own frame.
      const pooled = maxPool && frames > 1;
      this.session.stepFrame(last ? (pooled ? FRAME_SHOW_POOLED : FRAME_SHOW) : pooled && i + 2 === frames ? FRAME_HOLD : FRAME_SKIP);
      this.frame++;
      info = this.info();
      const scenario = { frame: this.frame, timestep: Math.floor(this.frame / 4) };
      terminated = ts.done ? Boolean(this.callTs(ts.done, info, scenario)) : this.doneOut[0] === 1;
      for (let p = 0; p < this.players; p++) {
        const fn = ts.rewards[p];
        rewards[p] += fn ? Number(this.callTs(fn, info, scenario)) : this.rewardOut[p];
      }
      if (terminated && !last) {
        this.session.showLastFrame();
        break;
      }
    }
    return { reward: rewards[0], rewards, terminated, truncated: false, info };
  }

  private callTs(fn: NonNullable<TsScenario['done']>, info: Record<string, number>, scenario: { frame: number; timestep: number }): number | boolean {
    try {
      return fn(info, scenario, this.tsState);
    } catch (e) {
      throw new RetroError('SCRIPT_ERROR', `TypeScript scenario function ${fn.name}() failed: ${(e as Error).message}`, {}, { cause: e });
    }
  }

  private info(): Record<string, number> {
    const info: Record<string, number> = {};
    for (let i = 0; i < this.variableNames.length; i++) info[this.variableNames[i]] = this.values[i];
    return info;
  }

  private observe(): Uint8Array {
    if (this.obsType === Observations.RAM) return Uint8Array.from(this.emulator.memory.systemRam ?? []);
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
    const [height, outWidth] = this.imageShape();
    const [x, y] = this.crop ?? [0, 0];
    if (x === 0 && outWidth === width) return data.subarray(y * width * 3, (y + height) * width * 3);
    const out = (this.cropBuffer ??= new Uint8Array(height * outWidth * 3));
    for (let row = 0; row < height; row++) {
      const from = ((y + row) * width + x) * 3;
      out.set(data.subarray(from, from + outWidth * 3), row * outWidth * 3);
    }
    return out;
  }

  /** Names of the buttons an action presses, one list per player. */
  getActionMeaning(action: Action): string[][] {
    return this.actionToMasks(action).map((m) => buttonNames(m, this.emulator.buttons));
  }

  saveState(): Buffer {
    this.check();
    return this.emulator.saveState();
  }

  loadState(state: Uint8Array): void {
    this.checkNotOwned('load a state into');
    this.emulator.loadState(state);
    try {
      this.session.reset();  // runs the Lua scripts' top level afresh
    } catch (e) {
      throw asTyped(e);
    }
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

  /** For the batch stepper: the native session and the start state. Not for general use. */
  get internals(): { session: unknown; startState: Buffer; hasTsScript: boolean; hasCrop: boolean } {
    return { session: this.session, startState: this.initialState, hasTsScript: this.ts !== undefined, hasCrop: this.crop !== undefined };
  }

  close(): void {
    if (this.isClosed) return;
    if (this.owner) throw new LifecycleError('ENV_OWNED', `cannot close this ${this.game} env: it belongs to a ${this.owner}; close the ${this.owner}`);
    this.isClosed = true;
    this.session.close();
    this.emulator.close();
  }

  get closed(): boolean {
    return this.isClosed;
  }
}

function describe(action: Action): string {
  if (typeof action === 'number') return String(action);
  if (action && typeof (action as ArrayLike<number>).length === 'number') return `[${Array.from(action as ArrayLike<number>).join(', ')}]`;
  return String(action);
}

function asTyped(e: unknown, file?: string): unknown {
  if (e instanceof RetroError || !(e instanceof Error)) return e;
  const code = (e as { code?: string }).code;
  const scriptError = scriptErrorFrom(e, file);
  if (scriptError) return scriptError;
  if (code === 'SCENARIO_INVALID' || code === 'INVALID_ARGUMENT') {
    return new IntegrationError(code === 'SCENARIO_INVALID' ? 'SCENARIO_INVALID' : 'SCHEMA_INVALID', `${file ?? 'scenario'}: ${e.message}`, { file }, { cause: e });
  }
  if (code === 'EMULATOR_CLOSED') return new LifecycleError('ENV_CLOSED', e.message, {}, { cause: e });
  return e;
}

/** A scenario crop must lie inside the core's frame: outside it, observations would be read past the picture. */
function checkCrop(crop: readonly number[], { baseWidth, baseHeight }: AvInfo, file: string): void {
  const misfit = cropMisfit(crop, baseWidth, baseHeight);
  if (misfit) throw new IntegrationError('SCHEMA_INVALID', `${file}#/crop: ${misfit}`, { file, field: '/crop' });
}

/** Creates an environment for a game: `make('TinyKart-Nes', { state: 'Track1' })`. */
export function make(game: string, options: MakeOptions = {}): RetroEnv {
  return new RetroEnv(game, options);
}

/** Runs `load`; a typed error it throws names the state file it was loading. */
function withStateFile(file: string | undefined, load: () => void): void {
  try {
    load();
  } catch (e) {
    if (file !== undefined && e instanceof RetroError) {
      e.details.file ??= file;
      e.message = `${file}: ${e.message}`;
    }
    throw e;
  }
}
