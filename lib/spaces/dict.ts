import { ArgumentError } from '../errors.ts';
import { checkSeed, Space } from './space.ts';
import type { AnySpace, MaskOf, SampleOf, SpaceJSON } from './space.ts';

/** Named sub-spaces. */
export type SpaceRecord = { readonly [key: string]: AnySpace };
/** The value type of a {@link Dict} of spaces `S`: one sample per key. */
export type DictSample<S extends SpaceRecord> = { -readonly [K in keyof S]: SampleOf<S[K]> };
/** The mask type of a {@link Dict} of spaces `S`: an optional mask per key. */
export type DictMask<S extends SpaceRecord> = { readonly [K in keyof S]?: MaskOf<S[K]> };

/**
 * Named spaces, as Gymnasium's `Dict`: for example an observation made of a screen and a few RAM values.
 *
 * Keys are kept in sorted order, as Gymnasium sorts a plain dict's keys, so two dicts built from the same entries in
 * a different order are equal and seed their sub-spaces alike. `sample()` returns a plain object with one sample
 * per key ({@link DictSample}); `contains` wants a plain object with exactly those keys, each value contained by its
 * sub-space. `seed(s)` seeds every sub-space with a seed derived from `s`; `seed({ key: s, … })` seeds the named
 * ones.
 *
 * @example
 * ```ts
 * import { Box, Dict, Discrete } from './spaces/index.ts';
 * const obs = new Dict({ screen: new Box(0, 255, [84, 84], 'uint8'), lives: new Discrete(4) });
 * obs.seed(5);
 * const { screen, lives } = obs.sample();   // { screen: Uint8Array, lives: number }
 * obs.contains({ screen, lives: 3 });       // true
 * obs.keys;                                 // ['lives', 'screen']
 * ```
 */
export class Dict<const S extends SpaceRecord> extends Space<DictSample<S>, DictMask<S>> {
  /** The sub-spaces by key. */
  readonly spaces: S;
  /** The keys, sorted. */
  readonly keys: readonly (keyof S & string)[];
  readonly shape = null;
  readonly dtype = null;

  constructor(spaces: S) {
    super();
    if (spaces === null || typeof spaces !== 'object' || Array.isArray(spaces)) {
      throw new ArgumentError('INVALID_ARGUMENT', 'Dict needs an object of spaces', { field: 'spaces' });
    }
    const keys = Object.keys(spaces).sort();
    const copy: { [key: string]: AnySpace } = {};
    for (const key of keys) {
      if (key === '__proto__') {
        // Assigning it would set the prototype of samples instead of adding a key.
        throw new ArgumentError('INVALID_ARGUMENT', "Dict keys cannot be '__proto__'", { field: key });
      }
      if (!(spaces[key] instanceof Space)) {
        throw new ArgumentError('INVALID_ARGUMENT', `Dict entry '${key}' is not a space`, { field: key });
      }
      copy[key] = spaces[key];
    }
    this.keys = Object.freeze(keys);
    this.spaces = Object.freeze(copy) as S;
  }

  /**
   * Seeds the dict: with a number (or nothing, for a random one), every sub-space gets a seed derived from it, in
   * key order, and the result is `[seed, ...sub-space seeds]`; with an object of seeds by key, the named sub-spaces
   * are seeded (`undefined` or a missing key: random) and the result is their seeds concatenated in key order.
   */
  override seed(seed?: number | { readonly [K in keyof S]?: number }): number[] {
    if (seed !== null && typeof seed === 'object') {
      for (const key of Object.keys(seed)) {
        if (!Object.hasOwn(this.spaces, key)) {
          throw new ArgumentError('INVALID_ARGUMENT', `seed has key '${key}', which the Dict does not`, {
            field: key,
          });
        }
        const s = (seed as { [key: string]: unknown })[key];
        if (s !== undefined) checkSeed(s);
      }
      return this.keys.flatMap((key) => this.spaces[key].seed(seed[key]));
    }
    const used = super.seed(seed);
    const rng = this.rng;
    const subSeeds = this.keys.map(() => rng.integer(2 ** 53));
    return [...used, ...this.keys.flatMap((key, i) => this.spaces[key].seed(subSeeds[i]))];
  }

  sample(mask?: DictMask<S>): DictSample<S> {
    if (mask !== undefined) {
      if (mask === null || typeof mask !== 'object' || Array.isArray(mask)) {
        throw new ArgumentError('INVALID_ARGUMENT', 'mask must be an object of masks by key', { field: 'mask' });
      }
      for (const key of Object.keys(mask)) {
        if (!Object.hasOwn(this.spaces, key)) {
          throw new ArgumentError('INVALID_ARGUMENT', `mask has key '${key}', which the Dict does not`, {
            field: key,
          });
        }
      }
    }
    const out: { [key: string]: unknown } = {};
    for (const key of this.keys) out[key] = this.spaces[key].sample(mask?.[key]);
    return out as DictSample<S>;
  }

  contains(x: unknown): boolean {
    if (x === null || typeof x !== 'object' || Array.isArray(x)) return false;
    const proto: unknown = Object.getPrototypeOf(x);
    if (proto !== Object.prototype && proto !== null) return false;
    const value = x as { [key: string]: unknown };
    return (
      Object.keys(value).length === this.keys.length &&
      this.keys.every((key) => Object.hasOwn(value, key) && this.spaces[key].contains(value[key]))
    );
  }

  toJSON(): SpaceJSON {
    const spaces: { [key: string]: SpaceJSON } = {};
    for (const key of this.keys) spaces[key] = this.spaces[key].toJSON();
    return { type: 'Dict', spaces };
  }

  equals(other: unknown): boolean {
    return (
      other instanceof Dict &&
      other.keys.length === this.keys.length &&
      this.keys.every((key, i) => other.keys[i] === key && this.spaces[key].equals(other.spaces[key]))
    );
  }

  toString(): string {
    return `Dict(${this.keys.map((k) => `${JSON.stringify(k)}: ${String(this.spaces[k])}`).join(', ')})`;
  }
}
