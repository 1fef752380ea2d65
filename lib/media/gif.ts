import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

interface GifEncoder {
  writeFrame(index: Uint8Array, width: number, height: number, options: { palette: number[][]; delay: number }): void;
  finish(): void;
  bytes(): Uint8Array;
}
interface GifencModule {
  GIFEncoder(): GifEncoder;
  quantize(rgba: Uint8Array, maxColors: number): number[][];
  applyPalette(rgba: Uint8Array, palette: number[][]): Uint8Array;
}
// gifenc ships CommonJS without types; this is the slice of its API we use.
const gifenc = createRequire(import.meta.url)('gifenc') as GifencModule;

/**
 * Collects RGB24 frames and writes an animated GIF, one palette per frame.
 *
 * ```ts
 * const gif = new GifRecorder({ fps: 30 });
 * gif.addFrame(emu.getFrame());
 * gif.save('out/run.gif');
 * ```
 */
export class GifRecorder {
  private readonly encoder = gifenc.GIFEncoder();
  private readonly delayMs: number;
  private frames = 0;

  constructor(options: { fps?: number } = {}) {
    this.delayMs = Math.round(1000 / (options.fps ?? 30));
  }

  get frameCount(): number {
    return this.frames;
  }

  addFrame(frame: { data: Uint8Array; width: number; height: number }): void {
    const { data, width, height } = frame;
    const rgba = new Uint8Array(width * height * 4);
    for (let p = 0, q = 0; p < width * height * 3; p += 3, q += 4) {
      rgba[q] = data[p];
      rgba[q + 1] = data[p + 1];
      rgba[q + 2] = data[p + 2];
      rgba[q + 3] = 255;
    }
    const palette = gifenc.quantize(rgba, 256);
    this.encoder.writeFrame(gifenc.applyPalette(rgba, palette), width, height, { palette, delay: this.delayMs });
    this.frames++;
  }

  /** Finishes the GIF and writes it; returns its size in bytes. */
  save(path: string): number {
    this.encoder.finish();
    const bytes = this.encoder.bytes();
    writeFileSync(path, bytes);
    return bytes.length;
  }
}
