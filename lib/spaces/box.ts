import { ArgumentError } from '../errors.ts';
import { INT32_MAX, INT32_MIN, Space } from './space.ts';
import type { JSONBound, SpaceJSON } from './space.ts';

/** Element types a {@link Box} can hold. */
export type BoxDtype = 'uint8' | 'int32' | 'float32';

/** The typed array holding a {@link Box} value of element type `D`. */
export type BoxArray<D extends BoxDtype> = D extends 'uint8'
  ? Uint8Array
  : D extends 'int32'
    ? Int32Array
    : Float32Array;

/** Any box, whatever its shape and element type. */
export type AnyBox = Box<readonly number[], BoxDtype>;

const ARRAY_TYPES = { uint8: Uint8Array, int32: Int32Array, float32: Float32Array } as const;
const INT_RANGE = { uint8: [0, 255], int32: [INT32_MIN, INT32_MAX] } as const;

/**
 * An n-dimensional box `low ≤ x ≤ high` (both ends inclusive), as Gymnasium's `Box`. Image observations are
 * `Box<[H, W, 3], 'uint8'>` (or `[H, W]` once gray), RAM observations `Box<[size], 'uint8'>`.
 *
 * Values are flat typed arrays in row-major (C) order, of length `size = product(shape)`: `sample()` returns a
 * `Uint8Array`, `Int32Array` or `Float32Array` according to `dtype` ({@link BoxArray}). `contains` accepts exactly
 * that typed array class (an image of the wrong element type is a bug worth catching), checks the length and the
 * bounds, and rejects NaN.
 *
 * `low` and `high` are scalars or arrays of length `size`. For integer dtypes they must be integers in the dtype's
 * range, with `-Infinity` / `Infinity` standing for the dtype's minimum / maximum; for `float32` they are rounded to
 * float32, and may be infinite. When `shape` is omitted it is `[low.length]` (or `[high.length]`).
 *
 * `sample()` draws each element as Gymnasium does: uniform on [low, high] for integers; for floats uniform between
 * low and high where both bounds are finite, `low + Exp(1)` where only `low` is, `high − Exp(1)` where only `high`
 * is, and a standard normal where neither is.
 *
 * @example
 * ```ts
 * import { Box } from './spaces/index.ts';
 * const screen = new Box(0, 255, [224, 240, 3], 'uint8');   // Box<readonly [224, 240, 3], 'uint8'>
 * screen.seed(0);
 * const frame = screen.sample();                             // Uint8Array of 224 * 240 * 3 bytes
 * screen.contains(frame);                                    // true
 * const stick = new Box([-1, -1], [1, 1]);                   // Box<readonly number[], 'float32'>, shape [2]
 * stick.sample();                                            // Float32Array(2), each in [-1, 1]
 * ```
 */
export class Box<const S extends readonly number[] = readonly number[], D extends BoxDtype = 'float32'> extends Space<
  BoxArray<D>
> {
  readonly shape: S;
  // NoInfer: otherwise, where a box is built in a context typed as a generic space (e.g. inside `new Tuple([…])`),
  // TypeScript infers D from the base class's `dtype: Dtype | null` instead of defaulting it to 'float32'.
  readonly dtype: NoInfer<D>;
  /** Number of elements: the product of `shape`. */
  readonly size: number;
  /** Lower bound of every element, in the box's dtype. Do not mutate. */
  readonly low: BoxArray<D>;
  /** Upper bound of every element, in the box's dtype. Do not mutate. */
  readonly high: BoxArray<D>;

  /** The common value of all `low` (resp. `high`) elements when they share one, which makes loops cheaper. */
  readonly #lowAll: number | undefined;
  readonly #highAll: number | undefined;

  constructor(low: number | ArrayLike<number>, high: number | ArrayLike<number>, shape?: S, dtype?: D) {
    super();
    const dt = (dtype ?? 'float32') as D;
    if (!Object.hasOwn(ARRAY_TYPES, dt)) {
      throw new ArgumentError('INVALID_ARGUMENT', `dtype must be 'uint8', 'int32' or 'float32', got ${String(dt)}`, {
        field: 'dtype',
      });
    }
    const dims = shape ?? inferShape(low, high);
    if (!Array.isArray(dims) || !dims.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new ArgumentError('INVALID_ARGUMENT', 'shape must be an array of non-negative integers', {
        field: 'shape',
      });
    }
    const size = dims.reduce((a, b) => a * b, 1);
    if (size > 2 ** 31 - 1) {
      throw new ArgumentError('INVALID_ARGUMENT', `shape [${dims.join(', ')}] has too many elements`, {
        field: 'shape',
      });
    }
    this.shape = Object.freeze([...dims]) as unknown as S;
    this.dtype = dt;
    this.size = size;
    this.low = toBounds(low, size, dt, 'low') as BoxArray<D>;
    this.high = toBounds(high, size, dt, 'high') as BoxArray<D>;
    for (let i = 0; i < size; i++) {
      if (!(this.low[i] <= this.high[i])) {
        throw new ArgumentError(
          'INVALID_ARGUMENT',
          `low must not exceed high, but low[${i}] = ${this.low[i]} > high[${i}] = ${this.high[i]}`,
          { field: 'low', index: i },
        );
      }
    }
    this.#lowAll = commonValue(this.low);
    this.#highAll = commonValue(this.high);
  }

  sample(): BoxArray<D> {
    const n = this.size;
    const rng = this.rng;
    const low = this.low;
    const high = this.high;
    const out = new ARRAY_TYPES[this.dtype](n) as BoxArray<D>;
    if (this.dtype !== 'float32') {
      const lo = this.#lowAll;
      const hi = this.#highAll;
      if (lo === 0 && hi === 255) {
        // Full-range bytes: one raw output gives four of them.
        let word = 0;
        for (let i = 0; i < n; i++) {
          if ((i & 3) === 0) word = rng.nextUint32();
          out[i] = word & 255;
          word >>>= 8;
        }
      } else if (lo !== undefined && hi !== undefined) {
        const width = hi - lo + 1;
        for (let i = 0; i < n; i++) out[i] = lo + rng.integer(width);
      } else {
        for (let i = 0; i < n; i++) out[i] = low[i] + rng.integer(high[i] - low[i] + 1);
      }
      return out;
    }
    for (let i = 0; i < n; i++) {
      const lo = low[i];
      const hi = high[i];
      const finiteLo = lo !== -Infinity;
      const finiteHi = hi !== Infinity;
      let v: number;
      if (finiteLo && finiteHi) {
        v = lo + (hi - lo) * rng.nextFloat();
        // A guard against rounding past `hi` when `hi - lo` is inexact in double precision (bounds are inclusive).
        if (v > hi) v = hi;
      } else if (finiteLo) {
        v = lo + rng.exponential();
      } else if (finiteHi) {
        v = hi - rng.exponential();
      } else {
        v = rng.normal();
      }
      out[i] = v;
    }
    return out;
  }

  contains(x: unknown): boolean {
    if (!(x instanceof ARRAY_TYPES[this.dtype]) || x.length !== this.size) return false;
    const n = this.size;
    const lo = this.#lowAll;
    const hi = this.#highAll;
    if (lo !== undefined && hi !== undefined) {
      if (this.dtype !== 'float32') {
        const [min, max] = INT_RANGE[this.dtype as 'uint8' | 'int32'];
        // Full-range integer boxes (e.g. 0..255 images) hold every array of the right class and length.
        if (lo === min && hi === max) return true;
        // Integer arrays hold no NaN, so the plain comparisons suffice.
        for (let i = 0; i < n; i++) {
          const v = x[i];
          if (v < lo || v > hi) return false;
        }
        return true;
      }
      for (let i = 0; i < n; i++) {
        const v = x[i];
        if (!(v >= lo && v <= hi)) return false;
      }
      return true;
    }
    const low = this.low;
    const high = this.high;
    for (let i = 0; i < n; i++) {
      const v = x[i];
      if (!(v >= low[i] && v <= high[i])) return false;
    }
    return true;
  }

  toJSON(): SpaceJSON {
    return {
      type: 'Box',
      low: boundsToJSON(this.low, this.#lowAll),
      high: boundsToJSON(this.high, this.#highAll),
      shape: [...this.shape],
      dtype: this.dtype,
    };
  }

  equals(other: unknown): boolean {
    if (!(other instanceof Box) || other.dtype !== this.dtype || other.size !== this.size) return false;
    const shape: readonly number[] = other.shape;
    if (shape.length !== this.shape.length || !shape.every((d, i) => d === this.shape[i])) return false;
    for (let i = 0; i < this.size; i++) {
      if (other.low[i] !== this.low[i] || other.high[i] !== this.high[i]) return false;
    }
    return true;
  }

  toString(): string {
    const bound = (a: BoxArray<D>, all: number | undefined): string =>
      all !== undefined ? String(all) : `[${Array.from(a).join(', ')}]`;
    const low = bound(this.low, this.#lowAll);
    const high = bound(this.high, this.#highAll);
    return `Box(${low}, ${high}, [${this.shape.join(', ')}], ${this.dtype})`;
  }
}

function inferShape(low: unknown, high: unknown): number[] {
  if (typeof low === 'number' && typeof high === 'number') {
    throw new ArgumentError('INVALID_ARGUMENT', 'shape is required when low and high are both scalars', {
      field: 'shape',
    });
  }
  const arr = (typeof low === 'number' ? high : low) as ArrayLike<number> | null | undefined;
  const len = arr?.length;
  if (typeof len !== 'number') {
    throw new ArgumentError('INVALID_ARGUMENT', 'low and high must be numbers or arrays of numbers', {
      field: 'low',
    });
  }
  return [len];
}

/** Converts a scalar or array bound into a typed array of the dtype, validating every element. */
function toBounds(
  bound: number | ArrayLike<number>,
  size: number,
  dtype: BoxDtype,
  field: 'low' | 'high',
): Uint8Array | Int32Array | Float32Array {
  const out = new ARRAY_TYPES[dtype](size);
  const scalar = typeof bound === 'number';
  if (!scalar) {
    if (bound === null || typeof bound !== 'object' || bound.length !== size) {
      throw new ArgumentError(
        'INVALID_ARGUMENT',
        `${field} must be a number or an array of ${size} numbers (the product of shape)`,
        { field },
      );
    }
  }
  const convert = (v: unknown, where: string): number => {
    if (typeof v !== 'number' || Number.isNaN(v)) {
      throw new ArgumentError('INVALID_ARGUMENT', `${where} must be a number, got ${String(v)}`, { field });
    }
    if (dtype === 'float32') {
      const f = Math.fround(v);
      if (Number.isFinite(v) && !Number.isFinite(f)) {
        throw new ArgumentError('INVALID_ARGUMENT', `${where} = ${v} is outside the float32 range`, { field });
      }
      // -0 would not survive a JSON round trip (it prints as 0), so bounds are kept as +0.
      return f === 0 ? 0 : f;
    }
    const [min, max] = INT_RANGE[dtype];
    if (v === -Infinity) return min;
    if (v === Infinity) return max;
    if (!Number.isInteger(v) || v < min || v > max) {
      throw new ArgumentError('INVALID_ARGUMENT', `${where} = ${v} is not an integer in [${min}, ${max}] (${dtype})`, {
        field,
      });
    }
    return v;
  };
  if (scalar) {
    out.fill(convert(bound, field));
  } else {
    for (let i = 0; i < size; i++) out[i] = convert(bound[i], `${field}[${i}]`);
  }
  return out;
}

function commonValue(a: ArrayLike<number>): number | undefined {
  if (a.length === 0) return undefined;
  const first = a[0];
  for (let i = 1; i < a.length; i++) if (a[i] !== first) return undefined;
  return first;
}

function boundToJSON(v: number): JSONBound {
  return v === Infinity ? 'inf' : v === -Infinity ? '-inf' : v;
}

function boundsToJSON(a: ArrayLike<number>, all: number | undefined): JSONBound | JSONBound[] {
  return all !== undefined ? boundToJSON(all) : Array.from(a, boundToJSON);
}
