/**
 * Typed access to the native pixel kernels (native/frame_ops.cpp): grayscale, resize and max-pool over packed,
 * row-major `Uint8Array` images of shape [height, width, channels]. Each kernel writes into an array the caller
 * owns, allocates nothing itself, and throws an `ArgumentError` (code `INVALID_ARGUMENT`) when an array's length
 * does not match the dimensions or an output shares memory with an input.
 *
 * @example
 * ```ts
 * import { rgbToGray, resizeArea, maxPool } from './frame-ops.ts';
 * const rgb = new Uint8Array(224 * 256 * 3);            // [224, 256, 3]
 * const gray = rgbToGray(rgb);                          // Uint8Array [224, 256]
 * const small = new Uint8Array(84 * 84);
 * resizeArea(gray, 256, 224, 1, small, 84, 84);          // [84, 84]
 * maxPool(small, small.slice(), small);                 // in place
 * ```
 */
import { ArgumentError, CoreError } from './errors.ts';
import { callNative, nativeAddon, type NativeFrameOps } from './native.ts';

/** How `Resize` and {@link resize} resample: area averaging (OpenCV `INTER_AREA`) or bilinear (`INTER_LINEAR`). */
export type Interpolation = 'area' | 'bilinear';

let ops: NativeFrameOps | undefined;

function frameOps(): NativeFrameOps {
  if (ops) return ops;
  const loaded = nativeAddon().frameOps;
  if (!loaded) throw new CoreError('CORE_LOAD_FAILED', 'the native addon has no pixel kernels: rebuild it (`npm run build:native`)');
  ops = loaded;
  return ops;
}

/** Runs a kernel that writes into `dst`, rethrowing the addon's errors as typed errors; returns `dst`. */
function run(dst: Uint8Array, kernel: (ops: NativeFrameOps) => void): Uint8Array {
  const ops = frameOps();
  callNative(() => kernel(ops));
  return dst;
}

/**
 * Gray of an RGB image: `round(0.299 R + 0.587 G + 0.114 B)` per pixel (ITU-R BT.601 weights in 14-bit fixed
 * point, as OpenCV's `RGB2GRAY`). `src` holds 3 bytes per pixel; `dst` (default: a new array) one.
 * @returns `dst`
 */
export function rgbToGray(src: Uint8Array, dst: Uint8Array = new Uint8Array(Math.floor(src.length / 3))): Uint8Array {
  return run(dst, (ops) => ops.rgbToGray(src, dst, dst.length));
}

/**
 * Area resampling (OpenCV `INTER_AREA`): each output pixel is the mean of the source rectangle it covers, partly
 * covered pixels weighted by the covered fraction, computed exactly and rounded. The usual choice for shrinking
 * frames. `channels` is 1 to 4; `src` is [srcHeight, srcWidth, channels], `dst` [dstHeight, dstWidth, channels].
 * @returns `dst`
 */
export function resizeArea(src: Uint8Array, srcWidth: number, srcHeight: number, channels: number, dst: Uint8Array, dstWidth: number, dstHeight: number): Uint8Array {
  return run(dst, (ops) => ops.resizeArea(src, srcWidth, srcHeight, channels, dst, dstWidth, dstHeight));
}

/**
 * Bilinear resampling (OpenCV `INTER_LINEAR`: pixel centres aligned, edges clamped, 11-bit weights). Same layout
 * as {@link resizeArea}.
 * @returns `dst`
 */
export function resizeBilinear(src: Uint8Array, srcWidth: number, srcHeight: number, channels: number, dst: Uint8Array, dstWidth: number, dstHeight: number): Uint8Array {
  return run(dst, (ops) => ops.resizeBilinear(src, srcWidth, srcHeight, channels, dst, dstWidth, dstHeight));
}

/** {@link resizeArea} or {@link resizeBilinear}, by name. */
export function resize(
  src: Uint8Array,
  srcWidth: number,
  srcHeight: number,
  channels: number,
  dst: Uint8Array,
  dstWidth: number,
  dstHeight: number,
  interpolation: Interpolation = 'area',
): Uint8Array {
  if (interpolation === 'area') return resizeArea(src, srcWidth, srcHeight, channels, dst, dstWidth, dstHeight);
  if (interpolation === 'bilinear') return resizeBilinear(src, srcWidth, srcHeight, channels, dst, dstWidth, dstHeight);
  throw new ArgumentError('INVALID_ARGUMENT', `interpolation must be 'area' or 'bilinear', got ${String(interpolation)}`, { field: 'interpolation' });
}

/**
 * Elementwise maximum of two equally long arrays: `dst[i] = max(a[i], b[i])`. `dst` (default: a new array) may be
 * `a` or `b` itself.
 * @returns `dst`
 */
export function maxPool(a: Uint8Array, b: Uint8Array, dst: Uint8Array = new Uint8Array(a.length)): Uint8Array {
  return run(dst, (ops) => ops.maxPool(a, b, dst));
}

/** The pixel formats a libretro core can hand over, by their RETRO_PIXEL_FORMAT numbers. */
export const PixelFormats = { RGB1555: 0, XRGB8888: 1, RGB565: 2 } as const;
export type PixelFormat = (typeof PixelFormats)[keyof typeof PixelFormats];

/**
 * Decodes a picture as a libretro core hands it to `video_refresh` — `height` rows of `width` pixels, `pitch` bytes
 * apart, in `format` — into packed RGB24 (5- and 6-bit channels widened by bit replication), or into gray with
 * `{ gray: true }` (exactly `rgbToGray` of the RGB24). The same kernels turn the emulator's frames into observations.
 * @returns `dst` (default: a new array)
 */
export function decodeFrame(
  src: Uint8Array,
  width: number,
  height: number,
  pitch: number,
  format: PixelFormat,
  options: { gray?: boolean; dst?: Uint8Array } = {},
): Uint8Array {
  const gray = options.gray ?? false;
  const dst = options.dst ?? new Uint8Array(Math.max(0, width * height * (gray ? 1 : 3)));
  return run(dst, (ops) => ops.decodeFrame(src, width, height, pitch, format, gray, dst));
}
