import { ArgumentError } from '../errors.ts';
import { checkInt, checkMask, INT32_MAX, INT32_MIN, pickMasked, Space } from './space.ts';
import type { BinaryMask, SpaceJSON } from './space.ts';

/**
 * Several independent discrete choices, as Gymnasium's `MultiDiscrete`: entry `i` takes values
 * `start[i] … start[i] + nvec[i] − 1`. The action space of `Actions.MULTI_DISCRETE` (one choice per button group).
 *
 * `sample()` returns an `Int32Array` of length `nvec.length`. `sample(mask)` takes one {@link BinaryMask} per entry
 * (entry `i` of length `nvec[i]`); an entry with nothing allowed gets `start[i]`. `contains` accepts an
 * `Int32Array` or a plain `number[]`.
 *
 * @example
 * ```ts
 * import { MultiDiscrete } from './spaces/index.ts';
 * const space = new MultiDiscrete([3, 2]);       // e.g. d-pad {none, left, right} × {none, jump}
 * space.seed(7);
 * const a = space.sample();                       // Int32Array(2), a[0] in 0..2, a[1] in 0..1
 * space.contains([2, 1]);                         // true
 * space.sample([[1, 0, 0], [0, 1]]);              // Int32Array [0, 1]
 * ```
 */
export class MultiDiscrete extends Space<Int32Array, readonly BinaryMask[]> {
  /** Number of values of each entry. */
  readonly nvec: readonly number[];
  /** Smallest value of each entry. */
  readonly start: readonly number[];
  readonly shape: readonly [number];
  readonly dtype = 'int32' as const;

  /** Every `nvec[i]` ≥ 1; all values must fit in a signed 32-bit integer. `start` defaults to all zeros. */
  constructor(nvec: readonly number[], start?: readonly number[]) {
    super();
    if (!Array.isArray(nvec)) {
      throw new ArgumentError('INVALID_ARGUMENT', 'nvec must be an array of positive integers', { field: 'nvec' });
    }
    const starts = start ?? nvec.map(() => 0);
    if (!Array.isArray(starts) || starts.length !== nvec.length) {
      throw new ArgumentError('INVALID_ARGUMENT', `start must be an array of length ${nvec.length}`, {
        field: 'start',
      });
    }
    nvec.forEach((n, i) => {
      checkInt(n, 1, 2 ** 32, `nvec[${i}]`);
      checkInt(starts[i], INT32_MIN, INT32_MAX - n + 1, `start[${i}]`);
    });
    this.nvec = Object.freeze([...nvec]);
    this.start = Object.freeze([...starts]);
    this.shape = Object.freeze([nvec.length]) as readonly [number];
  }

  sample(mask?: readonly BinaryMask[]): Int32Array {
    const k = this.nvec.length;
    const out = new Int32Array(k);
    const rng = this.rng;
    if (mask === undefined) {
      for (let i = 0; i < k; i++) out[i] = this.start[i] + rng.integer(this.nvec[i]);
      return out;
    }
    if (!Array.isArray(mask) || mask.length !== k) {
      throw new ArgumentError('INVALID_ARGUMENT', `mask must be an array of ${k} masks, one per entry`, {
        field: 'mask',
      });
    }
    for (let i = 0; i < k; i++) checkMask(mask[i], this.nvec[i], [0, 1], `mask[${i}]`);
    for (let i = 0; i < k; i++) {
      const j = pickMasked(rng, mask[i]);
      out[i] = this.start[i] + (j < 0 ? 0 : j);
    }
    return out;
  }

  contains(x: unknown): boolean {
    if (!(x instanceof Int32Array || Array.isArray(x)) || x.length !== this.nvec.length) return false;
    for (let i = 0; i < x.length; i++) {
      const v: unknown = x[i];
      const lo = this.start[i];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v >= lo + this.nvec[i]) return false;
    }
    return true;
  }

  toJSON(): SpaceJSON {
    return { type: 'MultiDiscrete', nvec: [...this.nvec], start: [...this.start] };
  }

  equals(other: unknown): boolean {
    return (
      other instanceof MultiDiscrete &&
      sameNumbers(other.nvec, this.nvec) &&
      sameNumbers(other.start, this.start)
    );
  }

  toString(): string {
    const nvec = `[${this.nvec.join(', ')}]`;
    return this.start.every((s) => s === 0)
      ? `MultiDiscrete(${nvec})`
      : `MultiDiscrete(${nvec}, start=[${this.start.join(', ')}])`;
  }
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
