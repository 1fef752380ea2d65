/** Space checks and helpers shared by the wrappers and the vector env. */
import { ArgumentError } from '../errors.ts';
import { Box } from '../spaces/box.ts';
import type { AnySpace } from '../spaces/space.ts';

/** A uint8 box of rank 2 or 3, read as an image. */
export interface ImageLayout {
  height: number;
  width: number;
  /** Channels per pixel (1 for [H, W]). */
  channels: number;
  /** Whether the shape has a channel axis ([H, W, C]) or not ([H, W]). */
  channelAxis: boolean;
}

/** The layout of an image observation space, or a typed error naming the wrapper that needs one. */
export function imageLayout(space: AnySpace, wrapper: string, expected = 'Box [H, W] or [H, W, C] with C in 1..4, uint8'): ImageLayout {
  const shape = space.shape;
  const fits = space instanceof Box && space.dtype === 'uint8' && shape !== null && (shape.length === 2 || (shape.length === 3 && shape[2] >= 1 && shape[2] <= 4));
  if (!fits || shape.some((d) => d < 1)) {
    throw new ArgumentError('INVALID_ARGUMENT', `${wrapper} needs an observation space ${expected}, got ${space.toString()}`, { field: 'observationSpace' });
  }
  return { height: shape[0], width: shape[1], channels: shape.length === 3 ? shape[2] : 1, channelAxis: shape.length === 3 };
}

/** Throws unless the observation space is a uint8 box (of any shape); returns its size. */
export function uint8BoxSize(space: AnySpace, wrapper: string): number {
  if (!(space instanceof Box) || space.dtype !== 'uint8') {
    throw new ArgumentError('INVALID_ARGUMENT', `${wrapper} needs a uint8 Box observation space, got ${space.toString()}`, { field: 'observationSpace' });
  }
  return space.size;
}

/** The typed array class holding values of each Box dtype. */
export const BOX_ARRAYS = { uint8: Uint8Array, int32: Int32Array, float32: Float32Array } as const;

/** A Box bound repeated `n` times, for a space that stacks `n` values: the scalar itself when all elements agree. */
export function tileBound(bound: ArrayLike<number>, n: number): number | number[] {
  const first = bound[0];
  let uniform = bound.length > 0;
  for (let i = 1; i < bound.length && uniform; i++) uniform = bound[i] === first;
  if (uniform) return first;
  const out: number[] = [];
  for (let k = 0; k < n; k++) for (let i = 0; i < bound.length; i++) out.push(bound[i]);
  return out;
}
