import type { EnvStepResult, ResetResult } from '../env/env.ts';
import { ArgumentError } from '../errors.ts';
import { Box, type AnyBox, type BoxArray, type BoxDtype } from '../spaces/box.ts';
import type { AnySpace } from '../spaces/space.ts';
import { checkPositiveInteger } from './checks.ts';
import { BOX_ARRAYS, tileBound } from './space-utils.ts';
import { Wrapper, type AnyEnv, type ObservationOf, type ResetArgs, type StepActionOf } from './wrapper.ts';

/** How the stack is filled at `reset()`: with copies of the first observation, or with zeros. */
export type FramePadding = 'reset' | 'zero';

export interface FrameStackOptions {
  /** Observations per stack. */
  n: number;
  /** Default `reset`, as Gymnasium's `FrameStackObservation`. */
  padding?: FramePadding;
}

/**
 * Stacks the last `n` observations: `Box [...shape]` becomes `Box [n, ...shape]` of the same dtype, oldest first and
 * newest last. After `reset()` the older slots hold copies of the first observation (`padding: 'reset'`) or zeros
 * (`'zero'`). Each observation returned is a new array, and the stack keeps copies of what it was given, so
 * neither side can change the other's frames.
 *
 * @example
 * ```ts
 * const env = new FrameStack(new Resize(new GrayScale(make('TinyKart-Nes')), { width: 84, height: 84 }), { n: 4 });
 * env.observationSpace.shape;              // [4, 84, 84]
 * const { observation } = env.reset();     // Uint8Array of 4 × 84 × 84; all four frames equal
 * ```
 */
export class FrameStack<E extends AnyEnv> extends Wrapper<E, ObservationOf<E>, StepActionOf<E>, AnyBox> {
  readonly n: number;
  readonly padding: FramePadding;
  private readonly frameSize: number;
  private readonly dtype: BoxDtype;
  /** Ring of the last n frames; `head` is the slot of the oldest. */
  private readonly ring: BoxArray<BoxDtype>;
  private head = 0;

  constructor(env: E, options: FrameStackOptions) {
    const n = checkPositiveInteger(options?.n, 'n');
    const padding = options.padding ?? 'reset';
    if (padding !== 'reset' && padding !== 'zero') {
      throw new ArgumentError('INVALID_ARGUMENT', `padding must be 'reset' or 'zero', got ${String(padding)}`, { field: 'padding' });
    }
    const space: AnySpace = env.observationSpace;
    if (!(space instanceof Box)) {
      throw new ArgumentError('INVALID_ARGUMENT', `FrameStack needs a Box observation space, got ${space.toString()}`, { field: 'observationSpace' });
    }
    const inner = space as AnyBox;
    super(env, { observationSpace: new Box(tileBound(inner.low, n), tileBound(inner.high, n), [n, ...inner.shape], inner.dtype) });
    this.n = n;
    this.padding = padding;
    this.frameSize = inner.size;
    this.dtype = inner.dtype;
    this.ring = new BOX_ARRAYS[inner.dtype](n * inner.size);
  }

  override reset(args?: ResetArgs): ResetResult<ObservationOf<E>> {
    const { observation, info } = this.env.reset(args);
    this.head = 0;
    if (this.padding === 'zero') this.ring.fill(0);
    const from = this.padding === 'reset' ? 0 : this.n - 1;
    for (let slot = from; slot < this.n; slot++) this.put(slot, observation);
    return { observation: this.stacked(), info };
  }

  override step(action: StepActionOf<E>): EnvStepResult<ObservationOf<E>> {
    const { observation, reward, terminated, truncated, info } = this.env.step(action);
    this.put(this.head, observation);
    this.head = (this.head + 1) % this.n;
    return { observation: this.stacked(), reward, terminated, truncated, info };
  }

  private put(slot: number, frame: ArrayLike<number>): void {
    if (frame.length !== this.frameSize) {
      throw new ArgumentError('INVALID_ARGUMENT', `FrameStack got an observation of ${frame.length} elements, expected ${this.frameSize}`);
    }
    this.ring.set(frame, slot * this.frameSize);
  }

  private stacked(): ObservationOf<E> {
    const out = new BOX_ARRAYS[this.dtype](this.ring.length);
    const split = this.head * this.frameSize;
    out.set(this.ring.subarray(split));
    out.set(this.ring.subarray(0, split), this.ring.length - split);
    return out as ObservationOf<E>;
  }
}
