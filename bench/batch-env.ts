import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Actions } from '../lib/env/action-codec.ts';
import { make } from '../lib/env/retro-env.ts';
import { packageRoot } from '../lib/package-root.ts';
import { BatchEnv } from '../lib/vector/batch-env.ts';
import type { BenchRow } from './report.ts';

/**
 * BatchEnv with N = 1, 2, 4, 8, 16 emulators on the NES and SNES fixture integrations (frameskip 4), against the
 * single-core raw rate of the same ROM and the rate of one env made with the same options, both measured in the
 * same run. Also the memory each extra env costs.
 */
const atariOptions = { maxPool: true, preprocess: { grayscale: true, width: 84, height: 84 } };

function singleEnvFps(env: ReturnType<typeof make>, frames: number): number {
  try {
    env.reset();
    const actions = Array.from({ length: 36 }, (_, i) => (i * 7) % 36);
    let ran = 0;
    const start = process.hrtime.bigint();
    for (let i = 0; ran < frames; i++) {
      if (env.step(actions[i % 36]).terminated) env.reset();
      ran += 4;
    }
    return ran / (Number(process.hrtime.bigint() - start) / 1e9);
  } finally {
    env.close();
  }
}

export function benchBatchEnv(seconds: number): BenchRow[] {
  const dataDir = mkdtempSync(join(tmpdir(), 'rgym-bench-'));
  const base = { integrationPaths: [join(packageRoot(), 'test', 'fixtures', 'integrations')], dataDir, frameskip: 4, useRestrictedActions: Actions.DISCRETE };
  const rows: BenchRow[] = [];
  try {
    for (const game of ['TestRom-Nes', 'TestRom-Snes']) {
      const probe = make(game, base);
      probe.reset();
      const rawFps = probe.emulator.measureRawFps(Math.round(probe.emulator.measureRawFps(60) * seconds * 0.25));
      probe.close();
      // One env stepped on the main thread with the same options: the "single-env rate" the batch is compared to.
      const singleFps = {
        rgb: singleEnvFps(make(game, base), rawFps * seconds * 0.25),
        atari: singleEnvFps(make(game, { ...base, ...atariOptions }), rawFps * seconds * 0.25),
      };
      const variants = [
        ...[1, 2, 4, 8, 16].map((numEnvs) => ({ numEnvs, atari: false })),
        // Atari-style observations made on the workers: skip 4 with max-pool, grey, 84×84.
        ...[1, 4, 8].map((numEnvs) => ({ numEnvs, atari: true })),
      ];
      for (const { numEnvs, atari } of variants) {
        const rssBefore = process.memoryUsage().rss;
        const batch = new BatchEnv(game, {
          ...base,
          numEnvs,
          ...(atari ? atariOptions : {}),
        });
        const perEnvMiB = (process.memoryUsage().rss - rssBefore) / numEnvs / 2 ** 20;
        try {
          batch.reset();
          const actions = Array.from({ length: numEnvs }, (_, i) => (i * 7) % 36);
          const targetFrames = rawFps * seconds * 0.5;
          let frames = 0;
          const start = process.hrtime.bigint();
          while (frames < targetFrames) {
            batch.step(actions);
            frames += numEnvs * 4;
          }
          const fps = frames / (Number(process.hrtime.bigint() - start) / 1e9);
          rows.push({
            bench: 'batch-env',
            system: game === 'TestRom-Nes' ? 'nes' : 'snes',
            observation: atari ? 'gray84-maxpool' : 'rgb',
            num_envs: numEnvs,
            raw_fps: Math.round(rawFps),
            batch_fps: Math.round(fps),
            single_env_fps: Math.round(singleFps[atari ? 'atari' : 'rgb']),
            ratio_to_raw: Math.round((fps / rawFps) * 1000) / 1000,
            ratio_to_single_env: Math.round((fps / singleFps[atari ? 'atari' : 'rgb']) * 1000) / 1000,
            mib_per_env: Math.round(perEnvMiB * 10) / 10,
          });
        } finally {
          batch.close();
        }
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}
