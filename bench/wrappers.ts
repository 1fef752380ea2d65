import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { make } from '../lib/env/retro-env.ts';
import { packageRoot } from '../lib/package-root.ts';
import { AtariPreprocessing } from '../lib/wrappers/atari-preprocessing.ts';
import { interleave, type BenchRow } from './report.ts';

/**
 * One env with AtariPreprocessing (no-op starts, frame skip 4 with max-pooling, grayscale, 84×84 area resize) on
 * the NES test ROM vs the bare core's native loop on the same emulator. Frames/s counts emulated frames, so an
 * AtariPreprocessing step counts 4.
 */
export function benchWrappers(seconds: number): BenchRow[] {
  const dataDir = mkdtempSync(join(tmpdir(), 'rgym-bench-'));
  const integrationPaths = [join(packageRoot(), 'test', 'fixtures', 'integrations')];
  try {
    return [
      // Frame skipping and max-pooling in JS (MaxAndSkip over single-frame steps)...
      benchOne(new AtariPreprocessing(make('TestRom-Nes', { integrationPaths, dataDir })), 'js', seconds),
      // ...and natively (the env made with frameskip 4 and maxPool).
      benchOne(new AtariPreprocessing(make('TestRom-Nes', { integrationPaths, dataDir, frameskip: 4, maxPool: true })), 'native', seconds),
      // ...and with grey + resize native too (the env made with a matching preprocess).
      benchOne(
        new AtariPreprocessing(
          make('TestRom-Nes', { integrationPaths, dataDir, frameskip: 4, maxPool: true, preprocess: { grayscale: true, width: 84, height: 84 } }),
        ),
        'native+preprocess',
        seconds,
      ),
    ];
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function benchOne(env: AtariPreprocessing<ReturnType<typeof make>>, frameskip: string, seconds: number): BenchRow {
  try {
    const emulator = env.unwrapped.emulator;
    env.actionSpace.seed(0);
    const actions = Array.from({ length: 64 }, () => env.actionSpace.sample());
    env.reset({ seed: 0 });
    for (let i = 0; i < 30; i++) env.step(actions[i & 63]);
    // Chunks sized from a quick probe, so each side runs about seconds/2 in total, in 10 alternating chunks.
    const probeFps = emulator.measureRawFps(60);
    const frames = Math.max(240, Math.round((probeFps * seconds) / 20));
    const steps = Math.ceil(frames / env.frameSkip);
    const [raw, ours] = interleave(
      10,
      () => [steps * env.frameSkip, (steps * env.frameSkip) / emulator.measureRawFps(steps * env.frameSkip)],
      () => {
        const start = process.hrtime.bigint();
        for (let i = 0; i < steps; i++) {
          const { terminated, truncated } = env.step(actions[i & 63]);
          if (terminated || truncated) env.reset();
        }
        return [steps * env.frameSkip, Number(process.hrtime.bigint() - start) / 1e9];
      },
    );
    return { bench: 'atari-preprocessing-vs-raw', system: 'nes', frameskip, raw_fps: round(raw), env_fps: round(ours), ratio: round(ours / raw, 3) };
  } finally {
    env.close();
  }
}

function round(v: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
