import type { Env } from '../env/env.ts';
import { ArgumentError } from '../errors.ts';
import { rgbToGray } from '../frame-ops.ts';
import { Box } from '../spaces/box.ts';
import type { AnySpace } from '../spaces/space.ts';
import { imageLayout } from './space-utils.ts';
import { ObservationWrapper } from './wrapper.ts';

export interface GrayScaleOptions {
  /** Keep a channel axis of size 1: [H, W, 1] instead of [H, W]. Default false. */
  keepDim?: boolean;
}

/**
 * Turns RGB observations gray: `Box [H, W, 3]` becomes `Box [H, W]` (or `[H, W, 1]` with `keepDim`), uint8, with
 * gray = 0.299 R + 0.587 G + 0.114 B rounded (ITU-R BT.601 in 14-bit fixed point, as OpenCV's RGB2GRAY). Runs natively.
 *
 * @example
 * ```ts
 * const env = new GrayScale(make('TinyKart-Nes'));
 * env.observationSpace.shape;              // [224, 256]
 * const { observation } = env.reset();     // Uint8Array of 224 × 256
 * ```
 */
export class GrayScale<E extends Env<Uint8Array, any, AnySpace, AnySpace>> extends ObservationWrapper<E, Uint8Array, Box<readonly number[], 'uint8'>> {
  readonly keepDim: boolean;
  private readonly pixels: number;

  constructor(env: E, options: GrayScaleOptions = {}) {
    const layout = imageLayout(env.observationSpace, 'GrayScale', 'Box [H, W, 3], uint8');
    if (!layout.channelAxis || layout.channels !== 3) {
      throw new ArgumentError('INVALID_ARGUMENT', `GrayScale needs an RGB observation space Box [H, W, 3], got ${env.observationSpace.toString()}`, { field: 'observationSpace' });
    }
    const keepDim = options.keepDim ?? false;
    super(env, new Box(0, 255, keepDim ? [layout.height, layout.width, 1] : [layout.height, layout.width], 'uint8'));
    this.keepDim = keepDim;
    this.pixels = layout.height * layout.width;
  }

  observation(observation: Uint8Array): Uint8Array {
    return rgbToGray(observation, new Uint8Array(this.pixels));
  }
}
