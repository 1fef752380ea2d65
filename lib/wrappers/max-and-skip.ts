import type { Env, EnvStepResult } from '../env/env.ts';
import { maxPool } from '../frame-ops.ts';
import type { AnySpace } from '../spaces/space.ts';
import { uint8BoxSize } from './space-utils.ts';
import { checkPositiveInteger } from './checks.ts';
import { Wrapper, type StepActionOf } from './wrapper.ts';

export interface MaxAndSkipOptions {
  /** Frames (steps of the wrapped env) per step. Default 4. */
  skip?: number;
}

/**
 * Frame skipping with max-pooling, as in DQN: one step repeats the action `skip` times on the wrapped env, sums
 * the rewards, stops early when an episode ends (terminated or truncated), and observes the elementwise maximum of
 * the last two frames it saw (which undoes sprite flicker). A step cut short after one frame observes that frame.
 * `info` is the last frame's. The observation space (a uint8 Box of any shape) is unchanged.
 *
 * @example
 * ```ts
 * const env = new MaxAndSkip(make('TinyKart-Nes'), { skip: 4 });
 * env.reset();
 * const { observation, reward } = env.step(action);   // 4 frames; [224, 256, 3], reward summed
 * ```
 */
export class MaxAndSkip<E extends Env<Uint8Array, any, AnySpace, AnySpace>> extends Wrapper<E, Uint8Array> {
  readonly skip: number;

  constructor(env: E, options: MaxAndSkipOptions = {}) {
    uint8BoxSize(env.observationSpace, 'MaxAndSkip');
    super(env);
    this.skip = checkPositiveInteger(options.skip ?? 4, 'skip');
  }

  override step(action: StepActionOf<E>): EnvStepResult<Uint8Array> {
    let reward = 0;
    let hasPrevious = false;
    let last: EnvStepResult<Uint8Array> | undefined;
    for (let i = 0; i < this.skip; i++) {
      last = this.env.step(action);
      reward += last.reward;
      if (last.terminated || last.truncated) break;
      // Observations may be views the next step overwrites (RetroEnv's are), so the second-to-last frame is copied.
      if (i === this.skip - 2) {
        (this.previous ??= new Uint8Array(last.observation.length)).set(last.observation);
        hasPrevious = true;
      }
    }
    const { observation, terminated, truncated, info } = last!;
    // An episode that ends before the last two frames returns its final frame unpooled.
    const pooled = hasPrevious ? maxPool(observation, this.previous!) : observation.slice();
    return { observation: pooled, reward, terminated, truncated, info };
  }

  private previous: Uint8Array | undefined;
}
