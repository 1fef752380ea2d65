/**
 * The base classes of every wrapper: {@link Wrapper} forwards everything to the env it wraps; the three
 * `*Wrapper` helpers below it change one thing (observations, actions or rewards), as Gymnasium's do.
 */
import type { Env, EnvStepResult, ResetResult } from '../env/env.ts';
import { Rng } from '../rng.ts';
import type { AnySpace } from '../spaces/space.ts';

/** Any environment; what a wrapper accepts. */
export type AnyEnv = Env<any, any, AnySpace, AnySpace>;
/** What `reset()` takes. */
export interface ResetArgs {
  seed?: number;
  options?: Record<string, unknown>;
}
/** The observation type of an env. */
export type ObservationOf<E> = E extends { reset(args?: any): { observation: infer O } } ? O : never;
/** The action type an env's `step()` takes. */
export type StepActionOf<E> = E extends { step(action: infer A): unknown } ? A : never;
/** The type of an env's `observationSpace`. */
export type ObservationSpaceOf<E> = E extends { readonly observationSpace: infer S extends AnySpace } ? S : never;
/** The type of an env's `actionSpace`. */
export type ActionSpaceOf<E> = E extends { readonly actionSpace: infer S extends AnySpace } ? S : never;
/** The innermost env of a wrapper chain (an env that is no wrapper is its own). */
export type UnwrappedOf<E> = E extends { readonly unwrapped: infer U } ? U : E;

/** The spaces a wrapper declares in its constructor; those it leaves out are the wrapped env's. */
export interface WrapperSpaces<ObsSpace, ActSpace> {
  observationSpace?: ObsSpace;
  actionSpace?: ActSpace;
}

/**
 * Wraps an env and forwards `reset`, `step`, `render` and `close` to it unchanged. Subclasses override what they
 * change and pass their new spaces to the constructor.
 *
 * - `Obs`, `Act`: the observation type this wrapper returns and the action type it takes.
 * - `env` is the wrapped env, `unwrapped` the innermost one (a `RetroEnv`, typically).
 *
 * @example
 * ```ts
 * class CountSteps<E extends AnyEnv> extends Wrapper<E> {
 *   steps = 0;
 *   override step(action: StepActionOf<E>) {
 *     this.steps++;
 *     return super.step(action);
 *   }
 * }
 * const env = new CountSteps(make('TinyKart-Nes'));
 * env.unwrapped.game;   // 'TinyKart-Nes': the RetroEnv inside
 * ```
 */
export class Wrapper<
  E extends AnyEnv,
  Obs = ObservationOf<E>,
  Act = StepActionOf<E>,
  ObsSpace extends AnySpace = ObservationSpaceOf<E>,
  ActSpace extends AnySpace = ActionSpaceOf<E>,
> implements Env<Obs, Act, ObsSpace, ActSpace>
{
  /** The env this wrapper wraps. */
  readonly env: E;
  readonly observationSpace: ObsSpace;
  readonly actionSpace: ActSpace;

  constructor(env: E, spaces: WrapperSpaces<ObsSpace, ActSpace> = {}) {
    this.env = env;
    this.observationSpace = spaces.observationSpace ?? (env.observationSpace as ObsSpace);
    this.actionSpace = spaces.actionSpace ?? (env.actionSpace as ActSpace);
  }

  /** The innermost env of the chain. */
  get unwrapped(): UnwrappedOf<E> {
    return ((this.env as { unwrapped?: unknown }).unwrapped ?? this.env) as UnwrappedOf<E>;
  }

  reset(args?: ResetArgs): ResetResult<Obs> {
    return this.env.reset(args) as ResetResult<Obs>;
  }

  step(action: Act): EnvStepResult<Obs> {
    return this.env.step(action) as EnvStepResult<Obs>;
  }

  render(): Uint8Array {
    return this.env.render();
  }

  close(): void {
    this.env.close();
  }
}

/** A wrapper that maps every observation (of `reset` and `step`) through {@link ObservationWrapper.observation}. */
export abstract class ObservationWrapper<E extends AnyEnv, Obs, ObsSpace extends AnySpace> extends Wrapper<E, Obs, StepActionOf<E>, ObsSpace> {
  constructor(env: E, observationSpace: ObsSpace) {
    super(env, { observationSpace });
  }

  /** Turns an observation of the wrapped env into one of this wrapper's. */
  abstract observation(observation: ObservationOf<E>): Obs;

  override reset(args?: ResetArgs): ResetResult<Obs> {
    const { observation, info } = this.env.reset(args);
    return { observation: this.observation(observation), info };
  }

  override step(action: StepActionOf<E>): EnvStepResult<Obs> {
    const { observation, reward, terminated, truncated, info } = this.env.step(action);
    return { observation: this.observation(observation), reward, terminated, truncated, info };
  }
}

/** A wrapper that translates every action through {@link ActionWrapper.action} before the wrapped env sees it. */
export abstract class ActionWrapper<E extends AnyEnv, Act, ActSpace extends AnySpace> extends Wrapper<E, ObservationOf<E>, Act, ObservationSpaceOf<E>, ActSpace> {
  constructor(env: E, actionSpace: ActSpace) {
    super(env, { actionSpace });
  }

  /** Turns this wrapper's action into one of the wrapped env's. */
  abstract action(action: Act): StepActionOf<E>;

  override step(action: Act): EnvStepResult<ObservationOf<E>> {
    return this.env.step(this.action(action));
  }
}

/** A wrapper that maps every reward through {@link RewardWrapper.reward}. */
export abstract class RewardWrapper<E extends AnyEnv> extends Wrapper<E> {
  /** Turns a reward of the wrapped env into this wrapper's. */
  abstract reward(reward: number): number;

  override step(action: StepActionOf<E>): EnvStepResult<ObservationOf<E>> {
    const { observation, reward, terminated, truncated, info } = this.env.step(action);
    return { observation, reward: this.reward(reward), terminated, truncated, info };
  }
}

/**
 * The random stream a wrapper should draw from, as Gymnasium's wrappers share their base env's `np_random`: the
 * innermost env's `rng` when it has one (`RetroEnv` reseeds it at `reset({ seed })`), otherwise the wrapper's own.
 */
export function envRng(env: AnyEnv, own: FallbackRng): Rng {
  const base = ((env as { unwrapped?: unknown }).unwrapped ?? env) as { rng?: unknown };
  return base.rng instanceof Rng ? base.rng : own.rng;
}

/** A wrapper's own generator for envs without an `rng`: seeded by `reset({ seed })`, else from OS entropy. */
export class FallbackRng {
  #rng: Rng | undefined;

  /** Call from `reset`; a given seed restarts the stream. */
  reseed(seed: number | undefined): void {
    if (seed !== undefined) this.#rng = Rng.fromSeed(seed);
  }

  get rng(): Rng {
    return (this.#rng ??= Rng.fromSeed(Rng.randomSeed()));
  }
}
