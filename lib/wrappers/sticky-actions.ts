import type { EnvStepResult, ResetResult } from '../env/env.ts';
import { checkProbability } from './checks.ts';
import { envRng, FallbackRng, Wrapper, type AnyEnv, type ObservationOf, type ResetArgs, type StepActionOf } from './wrapper.ts';

export interface StickyActionsOptions {
  /** Chance that a step repeats the previous action instead of taking the new one. Default 0.25 (ALE v5). */
  probability?: number;
}

/**
 * Sticky actions (Machado et al. 2018; ALE's `repeat_action_probability`, Gymnasium's `StickyAction`): each step,
 * with probability `probability`, the wrapped env gets the action it got last time instead of the new one. The first
 * step after a reset always takes its own action. Draws come from the base env's `rng` (seeded by
 * `reset({ seed })`), or the wrapper's own generator when the base env has none. Spaces are unchanged. ALE makes
 * actions sticky frame by frame: to do the same, put this wrapper inside `MaxAndSkip` rather than around it.
 *
 * @example
 * ```ts
 * const env = new StickyActions(make('TinyKart-Nes'), { probability: 0.25 });
 * env.reset({ seed: 1 });
 * env.step(action);     // the previous action a quarter of the time
 * ```
 */
export class StickyActions<E extends AnyEnv> extends Wrapper<E> {
  readonly probability: number;
  /** Whether the last step repeated the previous action. */
  lastRepeated = false;
  private previous: { action: StepActionOf<E> } | undefined;
  private readonly ownRng = new FallbackRng();

  constructor(env: E, options: StickyActionsOptions = {}) {
    super(env);
    this.probability = checkProbability(options.probability ?? 0.25, 'probability');
  }

  override reset(args: ResetArgs = {}): ResetResult<ObservationOf<E>> {
    this.ownRng.reseed(args.seed);
    this.previous = undefined;
    this.lastRepeated = false;
    return this.env.reset(args);
  }

  override step(action: StepActionOf<E>): EnvStepResult<ObservationOf<E>> {
    this.lastRepeated = this.previous !== undefined && envRng(this.env, this.ownRng).nextFloat() < this.probability;
    const taken = this.lastRepeated ? this.previous!.action : action;
    const result = this.env.step(taken);
    // Kept as a copy: callers often reuse one action array and change it in place.
    this.previous = { action: copyAction(taken) };
    return result;
  }
}

function copyAction<A>(action: A): A {
  if (ArrayBuffer.isView(action) && 'slice' in action) return (action as unknown as { slice(): A }).slice();
  if (Array.isArray(action)) return action.slice() as A;
  // A Dict action, such as a stick pad's { buttons, stick }: each entry copied.
  if (action !== null && typeof action === 'object' && Object.getPrototypeOf(action) === Object.prototype) {
    return Object.fromEntries(Object.entries(action).map(([key, value]) => [key, copyAction(value)])) as A;
  }
  return action;
}
