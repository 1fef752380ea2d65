/** A scenario crop `[x, y, width, height]` (0 width or height: to the frame's edge) and the frame it cuts. */

/** Why the crop does not fit inside a `frameWidth`×`frameHeight` frame, or undefined when it does. */
export function cropMisfit([x, y, w, h]: readonly number[], frameWidth: number, frameHeight: number): string | undefined {
  const width = w || frameWidth - x;
  const height = h || frameHeight - y;
  if (x < frameWidth && y < frameHeight && x + width <= frameWidth && y + height <= frameHeight) return undefined;
  return `[${x}, ${y}, ${w}, ${h}] does not fit inside the ${frameWidth}×${frameHeight} frame`;
}
