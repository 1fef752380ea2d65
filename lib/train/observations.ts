/**
 * What the policy sees, built from a `BatchEnv`'s buffers: a float vector of chosen RAM variables (mlp), or a
 * stack of the last k preprocessed gray frames per env, newest in the last channel (cnn, [H, W, k] as conv2d
 * wants it).
 */
import { ArgumentError } from '../errors.ts';

/** Picks RAM variables out of a batch's `values` (N × all variables) into N × features float32 rows. */
export class RamFeatures {
  readonly names: string[];
  private readonly columns: number[];

  constructor(
    private readonly allNames: readonly string[],
    selected?: readonly string[],
  ) {
    this.names = selected ? [...selected] : [...allNames];
    this.columns = this.names.map((name) => {
      const column = allNames.indexOf(name);
      if (column < 0) throw new ArgumentError('INVALID_ARGUMENT', `--obs-variables: the game has no variable '${name}' (it has ${allNames.join(', ')})`);
      return column;
    });
    if (this.names.length === 0) throw new ArgumentError('INVALID_ARGUMENT', 'an mlp policy needs at least one RAM variable; the game\'s data.json defines none');
  }

  get size(): number {
    return this.names.length;
  }

  /** Rows for `envs` envs from `values` (row-major, all variables) into `out`. */
  read(values: ArrayLike<number>, envs: number, out: Float32Array): void {
    const all = this.allNames.length;
    for (let e = 0; e < envs; e++) {
      for (let f = 0; f < this.columns.length; f++) out[e * this.columns.length + f] = values[e * all + this.columns[f]];
    }
  }
}

/** Per-env stacks of the last `depth` frames of `pixels` bytes each, interleaved as [pixel, depth]. */
export class FrameStacker {
  readonly stacks: Uint8Array;

  constructor(
    readonly numEnvs: number,
    readonly pixels: number,
    readonly depth: number,
  ) {
    this.stacks = new Uint8Array(numEnvs * pixels * depth);
  }

  get size(): number {
    return this.pixels * this.depth;
  }

  /**
   * Adds each env's newest frame (`frames`: N × pixels). Where `restart[e]` is set the env began a new episode,
   * and its whole stack becomes that first frame, so no frame of the old episode leaks into the new one.
   */
  push(frames: Uint8Array, restart: ArrayLike<number>): void {
    const { pixels, depth } = this;
    for (let e = 0; e < this.numEnvs; e++) {
      const stack = this.stacks.subarray(e * pixels * depth, (e + 1) * pixels * depth);
      const frame = frames.subarray(e * pixels, (e + 1) * pixels);
      if (restart[e]) {
        for (let p = 0; p < pixels; p++) stack.fill(frame[p], p * depth, (p + 1) * depth);
      } else {
        stack.copyWithin(0, 1);
        for (let p = 0; p < pixels; p++) stack[p * depth + depth - 1] = frame[p];
      }
    }
  }
}
