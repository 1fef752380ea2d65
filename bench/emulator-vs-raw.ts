import { Emulator } from '../lib/emulator.ts';
import { testRoms } from '../test/helpers.ts';
import { interleave, type BenchRow } from './report.ts';
import { measureRawFps } from './raw-fps.ts';

/** `Emulator.step(frameskip)` driven from JS, with a new button mask each step, vs the core's native loop. */
export function benchEmulatorVsRaw(seconds: number): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const system of ['nes', 'snes'] as const) {
    const emu = new Emulator({ rom: testRoms[system] });
    try {
      emu.step(120);
      // Size chunks from a quick probe so each side runs about seconds/2 in total, in 20 alternating chunks.
      const probeFps = measureRawFps(emu, 60);
      const framesPerChunk = Math.max(60, Math.round((probeFps * seconds) / 40));
      for (const frameskip of [1, 4]) {
        const steps = Math.ceil(framesPerChunk / frameskip);
        const masks = Array.from({ length: 64 }, (_, i) => (i * 37) & 0xff);
        const { a: raw, b: ours, ratio, extraMicrosPerFrame } = interleave(
          20,
          () => [steps * frameskip, (steps * frameskip) / measureRawFps(emu, steps * frameskip)],
          () => {
            const start = process.hrtime.bigint();
            for (let i = 0; i < steps; i++) {
              emu.setButtons(0, masks[i & 63]);
              emu.step(frameskip);
            }
            return [steps * frameskip, Number(process.hrtime.bigint() - start) / 1e9];
          },
        );
        rows.push({
          bench: 'emulator-vs-raw',
          system,
          frameskip,
          raw_fps: round(raw),
          emulator_fps: round(ours),
          ratio: round(ratio, 3),
          overhead_us_per_step: round(extraMicrosPerFrame * frameskip),
        });
      }
    } finally {
      emu.close();
    }
  }
  return rows;
}

function round(v: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
