/**
 * A small, fast, seedable pseudo-random number generator for everything the library randomises: seeded
 * `Space.sample()`, no-op resets, sticky actions.
 *
 * The generator is xoshiro128** 1.0 (Blackman and Vigna): 128 bits of state in four 32-bit words, period
 * 2^128 − 1, and nothing but 32-bit integer operations in its step, which is what JavaScript does fastest. It is
 * not cryptographically secure.
 *
 * Seeds are mixed with splitmix64, the seeding procedure the xoshiro authors recommend, so neighbouring seeds such
 * as 0, 1, 2 give unrelated streams.
 */
import { ArgumentError } from './errors.ts';

/** The generator's whole state: four unsigned 32-bit words, not all zero. Plain data, safe to JSON-serialise. */
export type RngState = readonly [number, number, number, number];

const MASK64 = (1n << 64n) - 1n;
const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/** One splitmix64 step on `state`, returning `[nextState, output]`. */
function splitmix64(state: bigint): [bigint, bigint] {
  const next = (state + 0x9e3779b97f4a7c15n) & MASK64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return [next, z ^ (z >> 31n)];
}

/**
 * Reduces any integer to the 64-bit splitmix64 starting state. Seeds in [0, 2^64) are used as they are, so those
 * streams match the reference seeding of xoshiro128** by splitmix64; negative and larger seeds are folded limb by
 * limb, with the sign mixed in, so that for example −1 and 2^64 − 1 give different streams.
 */
function seedToSplitmixState(seed: bigint): bigint {
  if (seed >= 0n && seed <= MASK64) return seed;
  let h = 0x6a09e667f3bcc908n;
  let rest = seed;
  do {
    h = splitmix64(h ^ (rest & MASK64))[1];
    rest >>= 64n;
  } while (rest !== 0n && rest !== -1n);
  return splitmix64(h ^ (seed < 0n ? 1n : 2n))[1];
}

/**
 * Seedable PRNG (xoshiro128**). Every method draws from one stream, so a generator seeded the same way and called
 * the same way always returns the same values.
 *
 * @example
 * ```ts
 * import { Rng } from './rng.ts';
 * const rng = Rng.fromSeed(42);
 * const die = 1 + rng.integer(6);       // number in 1..6
 * const saved = rng.state;              // RngState, a plain tuple
 * const x = rng.nextFloat();            // number in [0, 1)
 * rng.setState(saved);
 * console.log(rng.nextFloat() === x);   // true
 * ```
 */
export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  /** Prefer {@link Rng.fromSeed}; `new Rng(seed)` is the same thing. */
  constructor(seed: number | bigint) {
    this.reseed(seed);
  }

  /**
   * A generator seeded with any integer (`number` that is an integer, or `bigint`, negative allowed).
   * Equal seeds give equal streams; a `number` and the `bigint` of the same value are equal seeds.
   */
  static fromSeed(seed: number | bigint): Rng {
    return new Rng(seed);
  }

  /** A generator that continues from a state read earlier with {@link Rng.state}. */
  static fromState(state: RngState): Rng {
    const rng = new Rng(0);
    rng.setState(state);
    return rng;
  }

  /** A fresh seed from the operating system's entropy: a non-negative safe integer (below 2^53). */
  static randomSeed(): number {
    const words = globalThis.crypto.getRandomValues(new Uint32Array(2));
    return (words[0] >>> 11) * TWO_POW_32 + words[1];
  }

  private reseed(seed: number | bigint): void {
    if (typeof seed === 'number') {
      if (!Number.isInteger(seed)) {
        throw new ArgumentError('INVALID_ARGUMENT', `seed must be an integer, got ${seed}`, { field: 'seed' });
      }
    } else if (typeof seed !== 'bigint') {
      throw new ArgumentError('INVALID_ARGUMENT', `seed must be a number or bigint, got ${typeof seed}`, {
        field: 'seed',
      });
    }
    let sm = seedToSplitmixState(BigInt(seed));
    let a: bigint;
    let b: bigint;
    [sm, a] = splitmix64(sm);
    [sm, b] = splitmix64(sm);
    this.s0 = Number(a & 0xffffffffn);
    this.s1 = Number(a >> 32n);
    this.s2 = Number(b & 0xffffffffn);
    this.s3 = Number(b >> 32n);
    // splitmix64 is a bijection, so two consecutive outputs are never both zero; no all-zero check is needed.
  }

  /** The current state, as a new tuple of four unsigned 32-bit integers. */
  get state(): RngState {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0];
  }

  /** Restores a state read with {@link Rng.state}; the stream then continues exactly as it did from there. */
  setState(state: RngState): void {
    if (!Array.isArray(state) || state.length !== 4) {
      throw new ArgumentError('INVALID_ARGUMENT', 'Rng state must be an array of 4 unsigned 32-bit integers', {
        field: 'state',
      });
    }
    for (const w of state) {
      if (!Number.isInteger(w) || w < 0 || w >= TWO_POW_32) {
        throw new ArgumentError('INVALID_ARGUMENT', `Rng state word ${w} is not an unsigned 32-bit integer`, {
          field: 'state',
        });
      }
    }
    if (state[0] === 0 && state[1] === 0 && state[2] === 0 && state[3] === 0) {
      throw new ArgumentError('INVALID_ARGUMENT', 'Rng state must not be all zero', { field: 'state' });
    }
    [this.s0, this.s1, this.s2, this.s3] = state;
  }

  /** An independent copy: same state now, separate stream from here on. */
  clone(): Rng {
    return Rng.fromState(this.state);
  }

  /**
   * A new generator seeded from 64 bits of this one's stream (advancing this one by two outputs). Use it to give
   * each sub-component its own stream, deterministically derived from one seed.
   */
  fork(): Rng {
    const hi = BigInt(this.nextUint32());
    const lo = BigInt(this.nextUint32());
    return new Rng((hi << 32n) | lo);
  }

  /** The next raw output: an integer in [0, 2^32). */
  nextUint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2;
    const s3 = this.s3;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    this.s1 = s1 ^ n2;
    this.s0 = s0 ^ n3;
    this.s2 = n2 ^ t;
    this.s3 = (n3 << 11) | (n3 >>> 21);
    return result;
  }

  /** A float uniform in [0, 1) with 53 random bits (every double of the form k·2^−53; two raw outputs). */
  nextFloat(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / TWO_POW_53;
  }

  /**
   * An integer uniform in [0, n), without modulo bias (rejection sampling). `n` must be an integer in [1, 2^53].
   * Uses one raw output per try when n ≤ 2^32, two otherwise.
   */
  integer(n: number): number {
    if (!(Number.isInteger(n) && n >= 1 && n <= TWO_POW_53)) {
      throw new ArgumentError('INVALID_ARGUMENT', `integer(n) needs an integer n in [1, 2^53], got ${n}`, {
        field: 'n',
      });
    }
    if (n <= TWO_POW_32) {
      // Accept only draws below the largest multiple of n that fits in 2^32, so every residue is equally likely.
      const limit = TWO_POW_32 - (TWO_POW_32 % n);
      let x = this.nextUint32();
      while (x >= limit) x = this.nextUint32();
      return x % n;
    }
    const limit = TWO_POW_53 - (TWO_POW_53 % n);
    let x: number;
    do {
      x = (this.nextUint32() >>> 11) * TWO_POW_32 + this.nextUint32();
    } while (x >= limit);
    return x % n;
  }

  /** `true` with probability `p` (`p` in [0, 1]; 0 never, 1 always). */
  bernoulli(p: number): boolean {
    if (!(p >= 0 && p <= 1)) {
      throw new ArgumentError('INVALID_ARGUMENT', `bernoulli(p) needs p in [0, 1], got ${p}`, { field: 'p' });
    }
    return this.nextFloat() < p;
  }

  /** A standard normal variate (mean 0, standard deviation 1), by the Box–Muller transform. */
  normal(): number {
    const u1 = 1 - this.nextFloat(); // in (0, 1], so the logarithm is finite
    const u2 = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** An exponential variate with rate 1 (mean 1), in [0, ∞). */
  exponential(): number {
    return -Math.log(1 - this.nextFloat());
  }
}
