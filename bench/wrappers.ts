import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { make } from '../lib/env/retro-env.ts';
import { packageRoot } from '../lib/package-root.ts';
import { AtariPreprocessing } from '../lib/wrappers/atari-preprocessing.ts';
import { Wrapper } from '../lib/wrappers/wrapper.ts';
import { interleave, type BenchRow } from './report.ts';
import { measureRawFps } from './raw-fps.ts';

/**
 * One env with AtariPreprocessing (no-op starts, frame skip 4 with max-pooling, grayscale, 84×84 area resize) on
 * the NES test ROM vs the bare core's native loop on the same emulator, for each way the work can be split between
 * native code and TS. Frames/s counts emulated frames, so an AtariPreprocessing step counts 4.
 */
export function benchWrappers(seconds: number): BenchRow[] {
  const dataDir = mkdtempSync(join(tmpdir(), 'rgym-bench-'));
  const integrationPaths = [join(packageRoot(), 'test', 'fixtures', 'integrations')];
  try {
    return [
      // The usual way: AtariPreprocessing over a bare env, which then skips, grays, pools and resizes natively.
      benchOne(new AtariPreprocessing(make('TestRom-Nes', { integrationPaths, dataDir })), 'native (bare env)', seconds),
      // The env made with matching frameskip, maxPool and preprocess: the same native work, chosen by the user.
      benchOne(
        new AtariPreprocessing(
          make('TestRom-Nes', { integrationPaths, dataDir, frameskip: 4, maxPool: true, preprocess: { grayscale: true, width: 84, height: 84 } }),
        ),
        'native (env preprocess)',
        seconds,
      ),
      // A wrapper in between hides the RetroEnv: GrayScale, MaxAndSkip and Resize composed in TS over single frames.
      benchOne(new AtariPreprocessing(new Wrapper(make('TestRom-Nes', { integrationPaths, dataDir }))), 'ts wrappers', seconds),
    ];
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function benchOne(env: AtariPreprocessing<any>, path: string, seconds: number): BenchRow {
  try {
    const emulator = env.unwrapped.emulator;
    env.actionSpace.seed(0);
    const actions = Array.from({ length: 64 }, () => env.actionSpace.sample());
    env.reset({ seed: 0 });
    for (let i = 0; i < 30; i++) env.step(actions[i & 63]);
    // Chunks sized from a quick probe, so each side runs about seconds/2 in total, in 20 alternating chunks.
    const probeFps = measureRawFps(emulator, 60);
    const frames = Math.max(240, Math.round((probeFps * seconds) / 40));
    const steps = Math.ceil(frames / env.frameSkip);
    const { a: raw, b: ours, ratio, extraMicrosPerFrame } = interleave(
      20,
      () => [steps * env.frameSkip, (steps * env.frameSkip) / measureRawFps(emulator, steps * env.frameSkip)],
      () => {
        const start = process.hrtime.bigint();
        for (let i = 0; i < steps; i++) {
          const { terminated, truncated } = env.step(actions[i & 63]);
          if (terminated || truncated) env.reset();
        }
        return [steps * env.frameSkip, Number(process.hrtime.bigint() - start) / 1e9];
      },
    );
    return {
      bench: 'atari-preprocessing-vs-raw',
      system: 'nes',
      path,
      frameskip: env.frameSkip,
      raw_fps: round(raw),
      env_fps: round(ours),
      ratio: round(ratio, 3),
      overhead_us_per_step: round(extraMicrosPerFrame * env.frameSkip),
    };
  } finally {
    env.close();
  }
}

function round(v: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
