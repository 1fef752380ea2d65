import type { Emulator } from '../lib/emulator.ts';

/**
 * Frames per second of the bare core on `emulator`'s game: `frames` frames in the addon's tight native loop, with
 * no input, frame conversion or observation. The baseline every bench row is compared against; bench code only,
 * so it stays off the public `Emulator` API.
 */
export function measureRawFps(emulator: Emulator, frames: number): number {
  return frames / emulator.nativeHandle.runRawBenchmark(frames);
}
