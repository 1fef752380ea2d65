import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Actions } from '../lib/env/action-codec.ts';
import { make, type MakeOptions, type RetroEnv } from '../lib/env/retro-env.ts';
import { packageRoot } from '../lib/package-root.ts';
import { BatchEnv } from '../lib/vector/batch-env.ts';
import { median, type BenchRow } from './report.ts';
import { measureRawFps } from './raw-fps.ts';

/**
 * BatchEnv with N = 1, 2, 4, 8, 16 emulators on the NES and SNES fixture integrations (frameskip 4), against the
 * single-core raw rate of the same ROM and the rate of one env made with the same options. The three alternate in
 * short chunks and the ratios are medians over the chunks, so load from elsewhere on the machine shifts one chunk,
 * not the result. Also the memory each extra env costs, and the CPU time (every thread of this process) an env step
 * takes beyond its 4 frames in the bare core.
 */
const atariOptions = { maxPool: true, preprocess: { grayscale: true, width: 84, height: 84 } };
const CHUNKS = 7;

/** Wall-clock frames/s of a chunk, and the CPU µs per frame this process (all its threads) spent on it. */
interface ChunkRate {
  fps: number;
  cpuMicrosPerFrame: number;
}

/** Runs `chunk`, which returns the frames it emulated, and measures it. */
function measure(chunk: () => number): ChunkRate {
  const cpuBefore = process.cpuUsage();
  const start = process.hrtime.bigint();
  const frames = chunk();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  return { fps: frames / seconds, cpuMicrosPerFrame: (cpu.user + cpu.system) / frames };
}

/** `frames` frames (steps of 4) of one env on the main thread. */
function singleEnvChunk(env: RetroEnv, frames: number): number {
  let ran = 0;
  for (let i = 0; ran < frames; i++) {
    if (env.step((i * 7) % 36).terminated) env.reset();
    ran += 4;
  }
  return ran;
}

function batchChunk(batch: BatchEnv, actions: number[], frames: number): number {
  let ran = 0;
  while (ran < frames) {
    batch.step(actions);
    ran += actions.length * 4;
  }
  return ran;
}

export function benchBatchEnv(seconds: number): BenchRow[] {
  const dataDir = mkdtempSync(join(tmpdir(), 'rgym-bench-'));
  const base: MakeOptions = { integrationPaths: [join(packageRoot(), 'test', 'fixtures', 'integrations')], dataDir, frameskip: 4, useRestrictedActions: Actions.DISCRETE };
  const rows: BenchRow[] = [];
  try {
    for (const game of ['TestRom-Nes', 'TestRom-Snes']) {
      const variants = [
        ...[1, 2, 4, 8, 16].map((numEnvs) => ({ numEnvs, atari: false })),
        // Atari-style observations made on the workers: skip 4 with max-pool, gray, 84×84.
        ...[1, 4, 8].map((numEnvs) => ({ numEnvs, atari: true })),
      ];
      for (const { numEnvs, atari } of variants) {
        const options = { ...base, ...(atari ? atariOptions : {}) };
        const single = make(game, options);
        const rssBefore = process.memoryUsage().rss;
        const batch = new BatchEnv(game, { ...options, numEnvs });
        const perEnvMiB = (process.memoryUsage().rss - rssBefore) / numEnvs / 2 ** 20;
        try {
          single.reset();
          batch.reset();
          const actions = Array.from({ length: numEnvs }, (_, i) => (i * 7) % 36);
          const chunkFrames = Math.max(4 * numEnvs, (measureRawFps(single.emulator, 120) * seconds) / (3 * CHUNKS));
          const raw: ChunkRate[] = [], one: ChunkRate[] = [], many: ChunkRate[] = [];
          for (let c = 0; c < CHUNKS; c++) {
            const rawFrames = Math.round(chunkFrames);
            raw.push(
              measure(() => {
                measureRawFps(single.emulator, rawFrames);
                return rawFrames;
              }),
            );
            one.push(measure(() => singleEnvChunk(single, chunkFrames)));
            many.push(measure(() => batchChunk(batch, actions, chunkFrames * 2)));
          }
          rows.push({
            bench: 'batch-env',
            system: game === 'TestRom-Nes' ? 'nes' : 'snes',
            observation: atari ? 'gray84-maxpool' : 'rgb',
            num_envs: numEnvs,
            raw_fps: Math.round(median(raw.map((r) => r.fps))),
            single_env_fps: Math.round(median(one.map((r) => r.fps))),
            batch_fps: Math.round(median(many.map((r) => r.fps))),
            ratio_to_raw: Math.round(median(many.map((m, c) => m.fps / raw[c].fps)) * 1000) / 1000,
            ratio_to_single_env: Math.round(median(many.map((m, c) => m.fps / one[c].fps)) * 1000) / 1000,
            overhead_cpu_us_per_step: Math.round(median(many.map((m, c) => 4 * (m.cpuMicrosPerFrame - raw[c].cpuMicrosPerFrame))) * 10) / 10,
            mib_per_env: Math.round(perEnvMiB * 10) / 10,
          });
        } finally {
          batch.close();
          single.close();
        }
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}
