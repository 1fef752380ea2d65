import { ArgumentError } from '../errors.ts';
import { checkSeed, Space } from './space.ts';
import type { AnySpace, MaskOf, SampleOf, SpaceJSON } from './space.ts';

/** The value type of a {@link Tuple} of spaces `S`: one sample per sub-space, in order. */
export type TupleSample<S extends readonly AnySpace[]> = { -readonly [K in keyof S]: SampleOf<S[K]> };
/** The mask type of a {@link Tuple} of spaces `S`: one optional mask per sub-space. */
export type TupleMask<S extends readonly AnySpace[]> = { readonly [K in keyof S]: MaskOf<S[K]> | undefined };

/**
 * A fixed-length sequence of spaces, as Gymnasium's `Tuple`: for example one action space per player.
 *
 * `sample()` returns a plain array with one sample per sub-space ({@link TupleSample}); `contains` wants an array of
 * the same length whose every entry its sub-space contains. Each sub-space keeps its own generator:
 * `seed(s)` seeds this tuple with `s` and each sub-space with a seed derived from it; `seed([s0, s1, …])` seeds the
 * sub-spaces one by one.
 *
 * @example
 * ```ts
 * import { Box, Discrete, Tuple } from './spaces/index.ts';
 * const players = new Tuple([new Discrete(9), new Discrete(9)] as const);
 * players.seed(3);
 * const [p1, p2] = players.sample();       // [number, number]
 * players.contains([0, 8]);                // true
 * new Tuple([new Discrete(2), new Box(0, 1, [2])]).sample();   // [number, Float32Array]
 * ```
 */
export class Tuple<const S extends readonly AnySpace[]> extends Space<TupleSample<S>, TupleMask<S>> {
  /** The sub-spaces, in order. */
  readonly spaces: S;
  readonly shape = null;
  readonly dtype = null;

  constructor(spaces: S) {
    super();
    if (!Array.isArray(spaces) || !spaces.every((s) => s instanceof Space)) {
      throw new ArgumentError('INVALID_ARGUMENT', 'Tuple needs an array of spaces', { field: 'spaces' });
    }
    this.spaces = Object.freeze([...spaces]) as unknown as S;
  }

  /** Number of sub-spaces. */
  get length(): number {
    return this.spaces.length;
  }

  /**
   * Seeds the tuple: with a number (or nothing, for a random one), the sub-spaces get seeds derived from it and the
   * result is `[seed, ...sub-space seeds]`; with an array of one seed per sub-space (`undefined` for random), the
   * result is the sub-spaces' seeds concatenated.
   */
  override seed(seed?: number | readonly (number | undefined)[]): number[] {
    if (Array.isArray(seed)) {
      if (seed.length !== this.spaces.length) {
        throw new ArgumentError(
          'INVALID_ARGUMENT',
          `seed array must have one entry per sub-space (${this.spaces.length}), got ${seed.length}`,
          { field: 'seed' },
        );
      }
      seed.forEach((s) => s === undefined || checkSeed(s));
      return this.spaces.flatMap((space, i) => space.seed(seed[i]));
    }
    const used = super.seed(seed as number | undefined);
    const rng = this.rng;
    const subSeeds = this.spaces.map(() => rng.integer(2 ** 53));
    return [...used, ...this.spaces.flatMap((space, i) => space.seed(subSeeds[i]))];
  }

  sample(mask?: TupleMask<S>): TupleSample<S> {
    if (mask !== undefined && (!Array.isArray(mask) || mask.length !== this.spaces.length)) {
      throw new ArgumentError(
        'INVALID_ARGUMENT',
        `mask must be an array of ${this.spaces.length} masks (undefined for none)`,
        { field: 'mask' },
      );
    }
    return this.spaces.map((space, i) => space.sample(mask?.[i])) as unknown as TupleSample<S>;
  }

  contains(x: unknown): boolean {
    return (
      Array.isArray(x) && x.length === this.spaces.length && this.spaces.every((space, i) => space.contains(x[i]))
    );
  }

  toJSON(): SpaceJSON {
    return { type: 'Tuple', spaces: this.spaces.map((s) => s.toJSON()) };
  }

  equals(other: unknown): boolean {
    return (
      other instanceof Tuple &&
      other.spaces.length === this.spaces.length &&
      this.spaces.every((s, i) => s.equals(other.spaces[i]))
    );
  }

  toString(): string {
    return `Tuple(${this.spaces.map(String).join(', ')})`;
  }
}
