import { checkInt, checkMask, INT32_MAX, INT32_MIN, pickMasked, Space } from './space.ts';
import type { BinaryMask, SpaceJSON } from './space.ts';

/**
 * A finite set of integers `{start, start + 1, …, start + n − 1}`, as Gymnasium's `Discrete`. The usual action
 * space: one button combination per value.
 *
 * `sample()` returns a `number`. `sample(mask)` takes a {@link BinaryMask} of length `n` (1 = allowed) and picks
 * uniformly among the allowed values; if none is allowed it returns `start`, as Gymnasium does.
 *
 * @example
 * ```ts
 * import { Discrete } from './spaces/index.ts';
 * const space = new Discrete(4);
 * space.seed(0);
 * const a = space.sample();             // number in 0..3
 * space.contains(a);                    // true
 * space.sample([0, 1, 0, 1]);           // 1 or 3
 * new Discrete(3, -1).contains(-1);     // true: values -1, 0, 1
 * ```
 */
/** The most values a Discrete space holds. */
export const MAX_DISCRETE_N = 2 ** 32;

export class Discrete extends Space<number, BinaryMask> {
  /** Number of values. */
  readonly n: number;
  /** Smallest value. */
  readonly start: number;
  readonly shape: readonly [] = Object.freeze([]) as readonly [];
  readonly dtype = 'int32' as const;

  /** `n` ≥ 1; all values must fit in a signed 32-bit integer. */
  constructor(n: number, start = 0) {
    super();
    checkInt(n, 1, MAX_DISCRETE_N, 'n');
    checkInt(start, INT32_MIN, INT32_MAX - n + 1, 'start');
    this.n = n;
    this.start = start;
  }

  sample(mask?: BinaryMask): number {
    if (mask === undefined) return this.start + this.rng.integer(this.n);
    checkMask(mask, this.n, [0, 1], 'mask');
    const i = pickMasked(this.rng, mask);
    return this.start + (i < 0 ? 0 : i);
  }

  contains(x: unknown): boolean {
    return typeof x === 'number' && Number.isInteger(x) && x >= this.start && x < this.start + this.n;
  }

  toJSON(): SpaceJSON {
    return { type: 'Discrete', n: this.n, start: this.start };
  }

  equals(other: unknown): boolean {
    return other instanceof Discrete && other.n === this.n && other.start === this.start;
  }

  toString(): string {
    return this.start === 0 ? `Discrete(${this.n})` : `Discrete(${this.n}, start=${this.start})`;
  }
}
