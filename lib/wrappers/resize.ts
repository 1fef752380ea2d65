import type { Env } from '../env/env.ts';
import { ArgumentError } from '../errors.ts';
import { resize, type Interpolation } from '../frame-ops.ts';
import { Box } from '../spaces/box.ts';
import type { AnySpace } from '../spaces/space.ts';
import { imageLayout, type ImageLayout } from './space-utils.ts';
import { ObservationWrapper } from './wrapper.ts';

export interface ResizeOptions {
  /** Output width in pixels. */
  width: number;
  /** Output height in pixels. */
  height: number;
  /** `area` (default; OpenCV INTER_AREA, best for shrinking) or `bilinear` (INTER_LINEAR). */
  interpolation?: Interpolation;
}

/**
 * Resizes image observations: `Box [H, W]` becomes `Box [height, width]`, `Box [H, W, C]` becomes
 * `Box [height, width, C]` (C from 1 to 4), uint8. Runs natively.
 *
 * @example
 * ```ts
 * const env = new Resize(new GrayScale(make('TinyKart-Nes')), { width: 84, height: 84 });
 * env.observationSpace.shape;              // [84, 84]
 * const { observation } = env.reset();     // Uint8Array of 84 × 84
 * ```
 */
export class Resize<E extends Env<Uint8Array, any, AnySpace, AnySpace>> extends ObservationWrapper<E, Uint8Array, Box<readonly number[], 'uint8'>> {
  readonly width: number;
  readonly height: number;
  readonly interpolation: Interpolation;
  private readonly source: ImageLayout;

  constructor(env: E, options: ResizeOptions) {
    const source = imageLayout(env.observationSpace, 'Resize');
    const { width, height } = options ?? {};
    const interpolation = options?.interpolation ?? 'area';
    for (const [field, value] of [['width', width], ['height', height]] as const) {
      if (!Number.isInteger(value) || value < 1 || value > 65535) {
        throw new ArgumentError('INVALID_ARGUMENT', `Resize ${field} must be an integer in [1, 65535], got ${String(value)}`, { field });
      }
    }
    if (interpolation !== 'area' && interpolation !== 'bilinear') {
      throw new ArgumentError('INVALID_ARGUMENT', `Resize interpolation must be 'area' or 'bilinear', got ${String(interpolation)}`, { field: 'interpolation' });
    }
    super(env, new Box(0, 255, source.channelAxis ? [height, width, source.channels] : [height, width], 'uint8'));
    this.width = width;
    this.height = height;
    this.interpolation = interpolation;
    this.source = source;
  }

  observation(observation: Uint8Array): Uint8Array {
    const { width, height, channels } = this.source;
    const out = new Uint8Array(this.width * this.height * channels);
    return resize(observation, width, height, channels, out, this.width, this.height, this.interpolation);
  }
}
