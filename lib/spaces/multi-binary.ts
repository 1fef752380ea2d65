import { checkInt, checkMask, Space } from './space.ts';
import type { SpaceJSON } from './space.ts';

/**
 * A mask for {@link MultiBinary.sample}, one entry per bit: 0 forces the bit to 0, 1 forces it to 1, 2 leaves it
 * random (Gymnasium's convention).
 */
export type MultiBinaryMask = Uint8Array | Int8Array | readonly number[];

/**
 * `n` independent bits, as Gymnasium's `MultiBinary`: the natural action space of a pad, one bit per button.
 *
 * `sample()` returns a `Uint8Array` of length `n` holding 0s and 1s. `contains` accepts a `Uint8Array` or a plain
 * `number[]` of length `n` whose entries are all 0 or 1.
 *
 * @example
 * ```ts
 * import { MultiBinary } from './spaces/index.ts';
 * const pad = new MultiBinary(8);
 * pad.seed(1);
 * const buttons = pad.sample();               // Uint8Array(8), e.g. [0, 1, 1, 0, 0, 0, 1, 0]
 * pad.contains([1, 0, 0, 0, 0, 0, 0, 1]);     // true
 * pad.sample([2, 2, 0, 0, 0, 0, 0, 1]);       // first two random, last one set, the rest clear
 * ```
 */
export class MultiBinary extends Space<Uint8Array, MultiBinaryMask> {
  /** Number of bits. */
  readonly n: number;
  readonly shape: readonly [number];
  readonly dtype = 'uint8' as const;

  /** `n` ≥ 0 bits. */
  constructor(n: number) {
    super();
    checkInt(n, 0, 2 ** 31 - 1, 'n');
    this.n = n;
    this.shape = Object.freeze([n]) as readonly [number];
  }

  sample(mask?: MultiBinaryMask): Uint8Array {
    const n = this.n;
    const out = new Uint8Array(n);
    const rng = this.rng;
    if (mask === undefined) {
      // One raw output gives 32 independent bits.
      for (let i = 0; i < n; i += 32) {
        const word = rng.nextUint32();
        const end = Math.min(32, n - i);
        for (let b = 0; b < end; b++) out[i + b] = (word >>> b) & 1;
      }
      return out;
    }
    checkMask(mask, n, [0, 1, 2], 'mask');
    for (let i = 0; i < n; i++) {
      const m = mask[i];
      out[i] = m === 2 ? rng.nextUint32() >>> 31 : m;
    }
    return out;
  }

  contains(x: unknown): boolean {
    if (!(x instanceof Uint8Array || Array.isArray(x)) || x.length !== this.n) return false;
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      if (v !== 0 && v !== 1) return false;
    }
    return true;
  }

  toJSON(): SpaceJSON {
    return { type: 'MultiBinary', n: this.n };
  }

  equals(other: unknown): boolean {
    return other instanceof MultiBinary && other.n === this.n;
  }

  toString(): string {
    return `MultiBinary(${this.n})`;
  }
}
