import type { Env, EnvStepResult, ResetResult } from '../env/env.ts';
import { make, type Action, type MakeOptions, type RetroEnv } from '../env/retro-env.ts';
import { ArgumentError } from '../errors.ts';
import type { Interpolation } from '../frame-ops.ts';
import { Box } from '../spaces/box.ts';
import type { AnySpace } from '../spaces/space.ts';
import { chooseAtariRoute, type AtariRoute } from './atari-route.ts';
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
 * Over anything else it composes the TS wrappers `NoopReset`, `GrayScale`, `MaxAndSkip` and `Resize`; both give
 * the same observations. The choice is made once, when the wrapper is made: `route` says which, and why. So put
 * action wrappers (`Discretizer`, `StickyActions`) outside it. The base env must not skip frames itself
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
  /** How observations are made, and why (see `chooseAtariRoute`): one native step, or TS wrappers. */
  readonly route: AtariRoute;
  /** `env` inside the wrappers this composes: NoopReset, GrayScale, MaxAndSkip, Resize (innermost first), as many
   * of them as the route needs. */
  private readonly pipeline: AnyEnv;
  private lives = 0;
  /** With the native route: the buffer the env preprocesses every shown frame into. */
  private readonly nativeObservation: Uint8Array | undefined;

  constructor(env: E, options: AtariPreprocessingOptions<Scale> = {}) {
    const noopMax = options.noopMax ?? 30;
    const frameSkip = checkPositiveInteger(options.frameSkip ?? 4, 'frameSkip');
    const size = options.screenSize ?? 84;
    const [width, height] = (typeof size === 'number' ? [size, size] : Array.isArray(size) && size.length === 2 ? size : [NaN, NaN]).map((side) =>
      checkPositiveInteger(side, 'screenSize'),
    );
    const grayscaleObs = options.grayscaleObs ?? true;
    const grayscaleNewaxis = options.grayscaleNewaxis ?? false;
    const interpolation = options.interpolation ?? 'area';
    const scaleObs = (options.scaleObs ?? false) as Scale;
    const route = chooseAtariRoute(env, { frameSkip, width, height, grayscale: grayscaleObs, grayscaleNewaxis, interpolation });

    // Gymnasium's order: gray each frame, max-pool the last two, resize. No-ops go through the env itself.
    let pipeline: AnyEnv = env;
    if (noopMax !== 0) pipeline = new NoopReset(pipeline, { noopMax, noopAction: options.noopAction });
    if (route.kind === 'ts-wrappers' && grayscaleObs) pipeline = new GrayScale(pipeline, { keepDim: grayscaleNewaxis });
    if (route.kind !== 'native' && frameSkip > 1 && !route.envSkips) pipeline = new MaxAndSkip(pipeline, { skip: frameSkip });
    if (route.kind === 'ts-wrappers') pipeline = new Resize(pipeline, { width, height, interpolation });
    const shape = route.kind === 'native' ? (grayscaleObs ? [height, width] : [height, width, 3]) : pipeline.observationSpace.shape!;
    super(env, { observationSpace: (scaleObs ? new Box(0, 1, shape, 'float32') : new Box(0, 255, shape, 'uint8')) as ScaledBox<Scale> });
    this.nativeObservation = route.fastPath?.preprocess({ grayscale: grayscaleObs, width, height });

    this.noopMax = noopMax;
    this.frameSkip = frameSkip;
    this.screenSize = [width, height];
    this.terminalOnLifeLoss = options.terminalOnLifeLoss ?? false;
    this.grayscaleObs = grayscaleObs;
    this.scaleObs = scaleObs;
    this.route = route;
    this.pipeline = pipeline;
  }

  /** Whether the base env does all of a step natively (skip, gray, pool, resize): `route.kind === 'native'`. */
  get native(): boolean {
    return this.route.kind === 'native';
  }

  override reset(args?: ResetArgs): ResetResult<ScaledArray<Scale>> {
    const reset = this.pipeline.reset(args);
    const { info } = reset;
    const observation = this.nativeObservation ?? reset.observation;
    if (this.terminalOnLifeLoss) {
      if (typeof info.lives !== 'number') {
        throw new ArgumentError('INVALID_ARGUMENT', 'terminalOnLifeLoss needs a `lives` variable in the game\'s info (data.json)', { field: 'terminalOnLifeLoss' });
      }
      this.lives = info.lives;
    }
    return { observation: this.scale(observation), info };
  }

  override step(action: StepActionOf<E>): EnvStepResult<ScaledArray<Scale>> {
    const { fastPath } = this.route;
    const { observation, reward, terminated, truncated, info } =
      fastPath && this.nativeObservation
        ? { ...fastPath.stepFrames(action as Action, this.frameSkip, this.frameSkip > 1), observation: this.nativeObservation }
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
    if (wrapped.route.kind !== 'native') {
      throw new ArgumentError('INVALID_ARGUMENT', `${game}: these options need the TS wrappers (${wrapped.route.reason}); use new AtariPreprocessing(make(...)) for them`);
    }
    return wrapped;
  } catch (e) {
    env.close();
    throw e;
  }
}
