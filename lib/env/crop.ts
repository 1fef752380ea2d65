/** A scenario crop `[x, y, width, height]` (0 width or height: to the frame's edge) and the frame it cuts. */

/** Why the crop does not fit inside a `frameWidth`×`frameHeight` frame, or undefined when it does. */
export function cropMisfit([x, y, w, h]: readonly number[], frameWidth: number, frameHeight: number): string | undefined {
  const width = w || frameWidth - x;
  const height = h || frameHeight - y;
  if (x < frameWidth && y < frameHeight && x + width <= frameWidth && y + height <= frameHeight) return undefined;
  return `[${x}, ${y}, ${w}, ${h}] does not fit inside the ${frameWidth}×${frameHeight} frame`;
}

/** [height, width] of what a crop (or no crop) leaves of a `baseWidth`×`baseHeight` frame. */
export function croppedShape(crop: readonly number[] | undefined, baseWidth: number, baseHeight: number): [number, number] {
  if (!crop) return [baseHeight, baseWidth];
  const [x, y, w, h] = crop;
  return [h || baseHeight - y, w || baseWidth - x];
}

/**
 * The cropped part of an RGB frame `frameWidth` pixels wide: a view when whole rows are kept, else copied into
 * `scratch` (which must hold height × width × 3 bytes).
 */
export function cropRgb(data: Uint8Array, frameWidth: number, crop: readonly number[] | undefined, [height, width]: [number, number], scratch: () => Uint8Array): Uint8Array {
  const [x, y] = crop ?? [0, 0];
  if (x === 0 && width === frameWidth) return data.subarray(y * frameWidth * 3, (y + height) * frameWidth * 3);
  const out = scratch();
  for (let row = 0; row < height; row++) {
    const from = ((y + row) * frameWidth + x) * 3;
    out.set(data.subarray(from, from + width * 3), row * width * 3);
  }
  return out;
}
