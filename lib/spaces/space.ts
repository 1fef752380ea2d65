/**
 * The common base of every space: what a value must look like (`contains`), how to draw one (`sample`), and a
 * seedable generator of its own so that seeded samples are reproducible.
 */
import { ArgumentError } from '../errors.ts';
import { Rng } from '../rng.ts';

/** Element types a space's values are stored as. Composite spaces (`Tuple`, `Dict`) have none. */
export type Dtype = 'uint8' | 'int32' | 'float32';

/**
 * Base class of all spaces, after Gymnasium's `Space`.
 *
 * - `T` is the type `sample()` returns.
 * - `M` is the type of the optional mask `sample(mask)` takes (`never` when the space takes no mask).
 *
 * Each space owns its generator. It is seeded from the operating system's entropy on first use unless
 * {@link Space.seed} is called first; after `seed(s)` the sequence of samples depends only on `s`.
 */
export abstract class Space<T, M = never> {
  /** The shape of a value (`[]` for a scalar), or `null` for composite spaces. */
  abstract readonly shape: readonly number[] | null;
  /** The element type of a value, or `null` for composite spaces. */
  abstract readonly dtype: Dtype | null;

  #rng: Rng | undefined;

  /** This space's generator (created from a random seed if the space was never seeded). */
  get rng(): Rng {
    return (this.#rng ??= Rng.fromSeed(Rng.randomSeed()));
  }

  /**
   * Seeds this space's generator and returns the seeds used: `[seed]`, or for composite spaces the seed followed by
   * the seeds of the sub-spaces. Without an argument a random seed is drawn (and returned, so it can be logged and
   * replayed). A seed is any safe integer.
   */
  seed(seed?: number): number[] {
    const s = seed ?? Rng.randomSeed();
    checkSeed(s);
    this.#rng = Rng.fromSeed(s);
    return [s];
  }

  /** Draws a random value (a fresh object each time; the space keeps no reference to it). */
  abstract sample(mask?: M): T;

  /**
   * Whether `x` is a value of this space: right type, right length, integers where integers are due, within bounds,
   * no NaN. Never throws.
   */
  abstract contains(x: unknown): boolean;

  /** A plain, JSON-serialisable description; {@link spaceFromJSON} turns it back into a space. */
  abstract toJSON(): SpaceJSON;

  /** Whether `other` is a space of the same kind with the same parameters (generator state is not compared). */
  abstract equals(other: unknown): boolean;

  /** A short description in Gymnasium's style, e.g. `Discrete(4)`. */
  abstract toString(): string;
}

/** The type `sample()` returns for a space type. */
export type SampleOf<S> = S extends Space<infer T, any> ? T : never;
/** The type of the mask `sample(mask)` takes for a space type. */
export type MaskOf<S> = S extends Space<any, infer M> ? M : never;
/** Any space. */
export type AnySpace = Space<unknown, any>;

/** A bound in JSON: a number, or `'inf'` / `'-inf'` (which JSON cannot spell as numbers). */
export type JSONBound = number | 'inf' | '-inf';

/** The plain description of a space returned by `toJSON()`. */
export type SpaceJSON =
  | { type: 'Discrete'; n: number; start: number }
  | { type: 'MultiBinary'; n: number }
  | { type: 'MultiDiscrete'; nvec: number[]; start: number[] }
  | { type: 'Box'; low: JSONBound | JSONBound[]; high: JSONBound | JSONBound[]; shape: number[]; dtype: Dtype }
  | { type: 'Tuple'; spaces: SpaceJSON[] }
  | { type: 'Dict'; spaces: { [key: string]: SpaceJSON } };

/** A 0/1 mask, one entry per choice: 1 = allowed, 0 = not allowed. */
export type BinaryMask = Uint8Array | Int8Array | readonly number[];

export function checkSeed(seed: unknown): asserts seed is number {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new ArgumentError('INVALID_ARGUMENT', `seed must be a safe integer, got ${String(seed)}`, {
      field: 'seed',
    });
  }
}

/** Throws unless `mask` is an array or byte array of `length` entries, each one of `allowed`. */
export function checkMask(
  mask: unknown,
  length: number,
  allowed: readonly number[],
  field: string,
): asserts mask is ArrayLike<number> {
  if (!(Array.isArray(mask) || mask instanceof Uint8Array || mask instanceof Int8Array)) {
    throw new ArgumentError('INVALID_ARGUMENT', `${field} must be an array, Uint8Array or Int8Array`, { field });
  }
  if (mask.length !== length) {
    throw new ArgumentError('INVALID_ARGUMENT', `${field} must have length ${length}, got ${mask.length}`, {
      field,
    });
  }
  for (let i = 0; i < length; i++) {
    if (!allowed.includes(mask[i] as number)) {
      throw new ArgumentError(
        'INVALID_ARGUMENT',
        `${field}[${i}] must be one of ${allowed.join(', ')}, got ${String(mask[i])}`,
        { field, index: i },
      );
    }
  }
}

/**
 * Picks uniformly among the indices whose mask entry is 1, or returns -1 when none is. `mask` must already be
 * checked.
 */
export function pickMasked(rng: Rng, mask: ArrayLike<number>): number {
  let count = 0;
  for (let i = 0; i < mask.length; i++) count += mask[i];
  if (count === 0) return -1;
  let k = rng.integer(count);
  for (let i = 0; ; i++) {
    if (mask[i] === 1 && k-- === 0) return i;
  }
}

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

/** Throws unless `value` is an integer within [min, max]. */
export function checkInt(value: unknown, min: number, max: number, field: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ArgumentError(
      'INVALID_ARGUMENT',
      `${field} must be an integer in [${min}, ${max}], got ${String(value)}`,
      { field },
    );
  }
}
