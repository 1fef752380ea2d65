import type { Env, EnvStepResult, ResetResult } from '../env/env.ts';
import { make, nativeFastPath, type Action, type MakeOptions, type NativeFastPath, type RetroEnv } from '../env/retro-env.ts';
import { ArgumentError } from '../errors.ts';
import type { Interpolation } from '../frame-ops.ts';
import { Box } from '../spaces/box.ts';
import type { AnySpace } from '../spaces/space.ts';
import { checkPositiveInteger } from './checks.ts';
import { GrayScale } from './gray-scale.ts';
import { MaxAndSkip } from './max-and-skip.ts';
import { NoopReset } from './noop-reset.ts';
import { Resize } from './resize.ts';
import { Wrapper, type ActionSpaceOf, type AnyEnv, type ResetArgs, type StepActionOf } from './wrapper.ts';

export interface AtariPreprocessingOptions<Scale extends boolean = false> {
  /** Most random no-op frames after a reset (see `NoopReset`); 0 turns them off. Default 30. */
  noopMax?: number;
  /** Frames per step, max-pooling the last two (see `MaxAndSkip`). Default 4. */
  frameSkip?: number;
  /** Output size: `84` for 84 × 84, or `[width, height]`. Default 84. */
  screenSize?: number | readonly [number, number];
  /** End the episode when `info.lives` drops (needs a `lives` variable in data.json). Default false. */
  terminalOnLifeLoss?: boolean;
  /** Gray observations (default true); RGB otherwise. */
  grayscaleObs?: boolean;
  /** Keep a channel axis on gray observations: [84, 84, 1]. Default false. */
  grayscaleNewaxis?: boolean;
  /** Float32 observations in [0, 1] instead of uint8. Default false. */
  scaleObs?: Scale;
  /** How to resize; default `area`, as Gymnasium (OpenCV INTER_AREA). */
  interpolation?: Interpolation;
  /** The no-op action for the no-op starts; default the action space's all-zero action. */
  noopAction?: unknown;
}

type ScaledArray<Scale extends boolean> = Scale extends true ? Float32Array : Uint8Array;
type ScaledBox<Scale extends boolean> = Box<readonly number[], Scale extends true ? 'float32' : 'uint8'>;

/**
 * The standard Atari preprocessing of DQN-style agents, with Gymnasium's `AtariPreprocessing` defaults: no-op
 * starts (up to 30), frame skip 4 with the maximum of the last two frames, grayscale, resize to 84 × 84 by area
 * averaging, and optionally scaling to [0, 1] and ending episodes on a lost life.
 *
 * Over a bare `RetroEnv` (the usual `new AtariPreprocessing(make(game))`) the env does all of a step natively:
 * it runs the frames, grays the last two straight from the core's picture, pools and resizes them into one buffer.
 * Over anything else it composes the TS wrappers `NoopReset`, `GrayScale`,
 * `MaxAndSkip` and `Resize`; both give the same observations. So put action wrappers (`Discretizer`,
 * `StickyActions`) outside it. The base env must not skip frames itself
 * (`frameskip: 1`), unless it was made with `{ frameskip: frameSkip, maxPool: true }`: then the no-op starts count
 * agent steps of `frameSkip` frames. A base env made with a matching `preprocess: { grayscale: true, width: 84,
 * height: 84 }` is used as it is.
 *
 * Steps: reset → 1..noopMax no-op frames; step → `frameSkip` frames of the action, rewards summed, the last two
 * frames grayed and max-pooled → resized, in Gymnasium's order. (Only a base env that skips natively with
 * `maxPool` but hidden behind another wrapper pools RGB frames before they are grayed, which differs only where the
 * two frames' brightest pixels differ in colour.)
 *
 * Observation: `Box [84, 84]` uint8 by default; `[84, 84, 1]` with `grayscaleNewaxis`, `[84, 84, 3]` without
 * `grayscaleObs`, float32 in [0, 1] with `scaleObs`. The action space is the base env's.
 *
 * @example
 * ```ts
 * const env = new AtariPreprocessing(make('TinyKart-Nes'));
 * env.observationSpace.shape;                        // [84, 84]
 * const { observation } = env.reset({ seed: 0 });    // Uint8Array of 84 × 84
 * const step = env.step(env.actionSpace.sample());    // 4 frames emulated
 * ```
 */
export class AtariPreprocessing<E extends Env<Uint8Array, any, AnySpace, AnySpace>, Scale extends boolean = false> extends Wrapper<
  E,
  ScaledArray<Scale>,
  StepActionOf<E>,
  ScaledBox<Scale>,
  ActionSpaceOf<E>
> {
  readonly noopMax: number;
  readonly frameSkip: number;
  readonly screenSize: readonly [number, number];
  readonly terminalOnLifeLoss: boolean;
  readonly grayscaleObs: boolean;
  readonly scaleObs: Scale;
  /** Whether the base env does all of a step natively (skip, gray, pool, resize), or the TS wrappers compose it. */
  readonly native: boolean;
  /** `env` inside the wrappers this composes: NoopReset, GrayScale, MaxAndSkip, Resize (innermost first); only
   * NoopReset when the env works natively (`direct`). */
  private readonly pipeline: AnyEnv;
  private lives = 0;
  /** Set when the base env is a bare RetroEnv: it then steps and preprocesses natively into `observation`. */
  private readonly direct: { env: NativeFastPath; observation: Uint8Array } | undefined;

  constructor(env: E, options: AtariPreprocessingOptions<Scale> = {}) {
    const noopMax = options.noopMax ?? 30;
    const frameSkip = checkPositiveInteger(options.frameSkip ?? 4, 'frameSkip');
    const size = options.screenSize ?? 84;
    const [width, height] = (typeof size === 'number' ? [size, size] : Array.isArray(size) && size.length === 2 ? size : [NaN, NaN]).map((side) =>
      checkPositiveInteger(side, 'screenSize'),
    );
    const grayscaleObs = options.grayscaleObs ?? true;
    const scaleObs = (options.scaleObs ?? false) as Scale;
    const base = ((env as { unwrapped?: unknown }).unwrapped ?? env) as {
      frameskip?: unknown;
      maxPool?: unknown;
      preprocess?: { grayscale?: boolean; width?: number; height?: number };
    };
    // A RetroEnv made with { frameskip, maxPool: true } already skips and pools natively, which is much faster.
    const skipsNatively = frameSkip > 1 && base.frameskip === frameSkip && base.maxPool === true;
    if (frameSkip > 1 && !skipsNatively && typeof base.frameskip === 'number' && base.frameskip > 1) {
      throw new ArgumentError('INVALID_ARGUMENT', `the base env already skips ${base.frameskip} frames per step; make it with frameskip: 1 to use frameSkip ${frameSkip}`, {
        field: 'frameSkip',
      });
    }

    // A RetroEnv made with a matching { preprocess } already observes gray width × height frames natively.
    const p = base.preprocess;
    const preprocessesNatively =
      p !== undefined && (p.grayscale ?? false) === grayscaleObs && p.width === width && p.height === height &&
      (options.interpolation ?? 'area') === 'area' && !(options.grayscaleNewaxis ?? false);
    if (p !== undefined && !preprocessesNatively) {
      throw new ArgumentError('INVALID_ARGUMENT', 'the base env preprocesses its observations differently; make it without preprocess', { field: 'preprocess' });
    }
    // A bare RetroEnv can do it all natively for this wrapper: skip, gray, pool and resize in one native step.
    const fastPath = nativeFastPath(env);
    const direct =
      fastPath !== undefined && fastPath.canPreprocess() && (base.frameskip === 1 || skipsNatively) && Math.max(width, height) <= 4096 &&
      (options.interpolation ?? 'area') === 'area' && !(options.grayscaleNewaxis ?? false);
    // Gymnasium's order: gray each frame, max-pool the last two, resize. No-ops go through the env itself.
    let pipeline: AnyEnv = env;
    if (noopMax !== 0) pipeline = new NoopReset(pipeline, { noopMax, noopAction: options.noopAction });
    if (!direct) {
      if (grayscaleObs && !preprocessesNatively) pipeline = new GrayScale(pipeline, { keepDim: options.grayscaleNewaxis ?? false });
      if (frameSkip > 1 && !skipsNatively) pipeline = new MaxAndSkip(pipeline, { skip: frameSkip });
      if (!preprocessesNatively) pipeline = new Resize(pipeline, { width, height, interpolation: options.interpolation ?? 'area' });
    }
    const shape = direct ? (grayscaleObs ? [height, width] : [height, width, 3]) : pipeline.observationSpace.shape!;
    super(env, { observationSpace: (scaleObs ? new Box(0, 1, shape, 'float32') : new Box(0, 255, shape, 'uint8')) as ScaledBox<Scale> });
    if (direct && fastPath) this.direct = { env: fastPath, observation: fastPath.preprocess({ grayscale: grayscaleObs, width, height }) };

    this.noopMax = noopMax;
    this.frameSkip = frameSkip;
    this.screenSize = [width, height];
    this.terminalOnLifeLoss = options.terminalOnLifeLoss ?? false;
    this.grayscaleObs = grayscaleObs;
    this.scaleObs = scaleObs;
    this.pipeline = pipeline;
    this.native = this.direct !== undefined;
  }

  override reset(args?: ResetArgs): ResetResult<ScaledArray<Scale>> {
    const reset = this.pipeline.reset(args);
    const { info } = reset;
    const observation = this.direct ? this.direct.observation : reset.observation;
    if (this.terminalOnLifeLoss) {
      if (typeof info.lives !== 'number') {
        throw new ArgumentError('INVALID_ARGUMENT', 'terminalOnLifeLoss needs a `lives` variable in the game\'s info (data.json)', { field: 'terminalOnLifeLoss' });
      }
      this.lives = info.lives;
    }
    return { observation: this.scale(observation), info };
  }

  override step(action: StepActionOf<E>): EnvStepResult<ScaledArray<Scale>> {
    const { observation, reward, terminated, truncated, info } = this.direct
      ? { ...this.direct.env.stepFrames(action as Action, this.frameSkip, this.frameSkip > 1), observation: this.direct.observation }
      : this.pipeline.step(action);
    let lifeLost = false;
    if (this.terminalOnLifeLoss) {
      lifeLost = info.lives < this.lives;
      this.lives = info.lives;
    }
    return { observation: this.scale(observation), reward, terminated: terminated || lifeLost, truncated, info };
  }

  override close(): void {
    this.pipeline.close();
  }

  private scale(observation: Uint8Array): ScaledArray<Scale> {
    if (!this.scaleObs) return observation as ScaledArray<Scale>;
    const out = new Float32Array(observation.length);
    for (let i = 0; i < observation.length; i++) out[i] = observation[i] / 255;
    return out as ScaledArray<Scale>;
  }
}

/**
 * A game with Atari preprocessing chosen when the env is made, as EnvPool's `make(task, { ... })`: the emulator
 * skips, grays, pools and resizes natively, and `render()` still gives RGB frames. Options the native path cannot
 * serve (a scenario crop, RAM observations, `grayscaleNewaxis`, bilinear resizing, an env of its own `frameskip`
 * or `preprocess`) are refused with an `ArgumentError` instead of silently running the slower TS wrappers.
 *
 * @example
 * ```ts
 * const env = makeAtari('TinyKart-Nes', { state: 'Track1', atari: { noopMax: 30, screenSize: 84 } });
 * env.observationSpace.shape;   // [84, 84]
 * ```
 */
export function makeAtari<Scale extends boolean = false>(
  game: string,
  options: MakeOptions & { atari?: AtariPreprocessingOptions<Scale> } = {},
): AtariPreprocessing<RetroEnv, Scale> {
  const { atari = {}, ...makeOptions } = options;
  for (const name of ['frameskip', 'maxPool', 'preprocess'] as const) {
    if (makeOptions[name] !== undefined) {
      throw new ArgumentError('INVALID_ARGUMENT', `makeAtari() sets ${name} itself; give frameSkip and screenSize in its atari options`, { field: name });
    }
  }
  const env = make(game, makeOptions);
  try {
    const wrapped = new AtariPreprocessing<RetroEnv, Scale>(env, atari);
    if (!wrapped.native) {
      throw new ArgumentError('INVALID_ARGUMENT', `${game}: these options need the TS wrappers (a crop, RAM observations, grayscaleNewaxis or bilinear resizing); use new AtariPreprocessing(make(...)) for them`);
    }
    return wrapped;
  } catch (e) {
    env.close();
    throw e;
  }
}
