import type { ResetResult } from '../env/env.ts';
import { ArgumentError } from '../errors.ts';
import { Box } from '../spaces/box.ts';
import { Discrete } from '../spaces/discrete.ts';
import { MultiBinary } from '../spaces/multi-binary.ts';
import { MultiDiscrete } from '../spaces/multi-discrete.ts';
import type { AnySpace } from '../spaces/space.ts';
import { checkNonNegativeInteger } from './checks.ts';
import { envRng, FallbackRng, Wrapper, type AnyEnv, type ObservationOf, type ResetArgs, type StepActionOf } from './wrapper.ts';

export interface NoopResetOptions<Act> {
  /** Most no-op steps after a reset. Default 30. */
  noopMax?: number;
  /** The action that presses nothing. Default: the action space's all-zero action (0, or an array of zeros). */
  noopAction?: Act;
}

/**
 * Random no-op starts (Mnih et al. 2015; Gymnasium's `AtariPreprocessing(noop_max=30)`): after each reset, takes a
 * random number of no-op steps, drawn uniformly from 1 to `noopMax` (none when `noopMax` is 0), so episodes of a
 * deterministic game start from varied states. The count comes from the base env's `rng` (seeded by
 * `reset({ seed })`), or the wrapper's own generator when the base env has none, so seeded resets are reproducible.
 * An episode that ends during the no-ops is reset again (without the seed). Spaces are unchanged.
 *
 * @example
 * ```ts
 * const env = new NoopReset(make('TinyKart-Nes'), { noopMax: 30 });
 * const { observation } = env.reset({ seed: 7 });   // after 1..30 frames of no input
 * env.lastNoops;                                     // how many
 * ```
 */
export class NoopReset<E extends AnyEnv> extends Wrapper<E> {
  readonly noopMax: number;
  readonly noopAction: StepActionOf<E>;
  /** No-op steps taken by the last reset. */
  lastNoops = 0;
  private readonly ownRng = new FallbackRng();

  constructor(env: E, options: NoopResetOptions<StepActionOf<E>> = {}) {
    super(env);
    this.noopMax = checkNonNegativeInteger(options.noopMax ?? 30, 'noopMax');
    const noop = options.noopAction ?? zeroAction(env.actionSpace);
    if (!env.actionSpace.contains(noop)) {
      throw new ArgumentError('INVALID_ARGUMENT', `noopAction is not in the action space ${env.actionSpace.toString()}`, { field: 'noopAction' });
    }
    this.noopAction = noop as StepActionOf<E>;
  }

  override reset(args: ResetArgs = {}): ResetResult<ObservationOf<E>> {
    let result: ResetResult<ObservationOf<E>> = this.env.reset(args);
    this.ownRng.reseed(args.seed);
    const noops = this.noopMax > 0 ? 1 + envRng(this.env, this.ownRng).integer(this.noopMax) : 0;
    for (let i = 0; i < noops; i++) {
      const { observation, terminated, truncated, info } = this.env.step(this.noopAction);
      result = terminated || truncated ? this.env.reset({ options: args.options }) : { observation, info };
    }
    this.lastNoops = noops;
    return result;
  }
}

/** The action of a space that presses nothing: zero, or all zeros; an error when the space has no such value. */
export function zeroAction(space: AnySpace): unknown {
  let zero: unknown;
  if (space instanceof Discrete) zero = 0;
  else if (space instanceof MultiBinary) zero = new Uint8Array(space.n);
  else if (space instanceof MultiDiscrete) zero = new Int32Array(space.shape[0]);
  else if (space instanceof Box) zero = space.low.slice().fill(0);
  if (zero === undefined || !space.contains(zero)) {
    throw new ArgumentError('INVALID_ARGUMENT', `the action space ${space.toString()} has no all-zero action: pass noopAction`, { field: 'noopAction' });
  }
  return zero;
}
