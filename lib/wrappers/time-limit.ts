import type { EnvStepResult, ResetResult } from '../env/env.ts';
import { checkPositiveInteger } from './checks.ts';
import { Wrapper, type AnyEnv, type ObservationOf, type ResetArgs, type StepActionOf } from './wrapper.ts';

export interface TimeLimitOptions {
  /** Steps after which an episode is cut short. */
  maxEpisodeSteps: number;
}

/**
 * Cuts episodes short: the `maxEpisodeSteps`-th step after a reset returns `truncated: true` (whether or not it
 * also terminated), as Gymnasium's `TimeLimit`. Spaces are unchanged.
 *
 * @example
 * ```ts
 * const env = new TimeLimit(make('TinyKart-Nes'), { maxEpisodeSteps: 4500 });
 * env.reset();
 * env.step(action).truncated;     // true on the 4500th step
 * ```
 */
export class TimeLimit<E extends AnyEnv> extends Wrapper<E> {
  readonly maxEpisodeSteps: number;
  /** Steps since the last reset. */
  elapsedSteps = 0;

  constructor(env: E, options: TimeLimitOptions) {
    super(env);
    this.maxEpisodeSteps = checkPositiveInteger(options?.maxEpisodeSteps, 'maxEpisodeSteps');
  }

  override reset(args?: ResetArgs): ResetResult<ObservationOf<E>> {
    const result = this.env.reset(args);
    this.elapsedSteps = 0;
    return result;
  }

  override step(action: StepActionOf<E>): EnvStepResult<ObservationOf<E>> {
    const { observation, reward, terminated, truncated, info } = this.env.step(action);
    this.elapsedSteps++;
    return { observation, reward, terminated, truncated: truncated || this.elapsedSteps >= this.maxEpisodeSteps, info };
  }
}
