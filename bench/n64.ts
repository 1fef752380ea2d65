import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Emulator } from '../lib/emulator.ts';
import { CoreError } from '../lib/errors.ts';
import { Actions } from '../lib/env/action-codec.ts';
import { make, Observations, type MakeOptions, type RetroEnv } from '../lib/env/retro-env.ts';
import { packageRoot } from '../lib/package-root.ts';
import { BatchEnv } from '../lib/vector/batch-env.ts';
import { interleave, median, type BenchRow } from './report.ts';
import { measureRawFps } from './raw-fps.ts';

/**
 * The N64 on our test ROM (TestRom-N64, our core around Debian's mupen64plus), frameskip 4: the bare core, make()
 * with pictures, make() observing RAM only (no scan-out), and BatchEnv with 2 and 4 emulators against one env.
 * A frame is one VI. The ROM idles in a branch-to-self between VIs, as games do.
 */
const FRAMESKIP = 4;
const CHUNKS = 7;

function envChunk(env: RetroEnv, steps: number): [number, number] {
  const right = new Uint8Array(env.buttons.length);
  right[env.buttons.indexOf('RIGHT')] = 1;
  const left = new Uint8Array(env.buttons.length);
  left[env.buttons.indexOf('LEFT')] = 1;
  const start = process.hrtime.bigint();
  for (let i = 0; i < steps; i++) {
    if (env.step((i >> 5) % 2 === 0 ? right : left).terminated) env.reset();
  }
  return [steps * FRAMESKIP, Number(process.hrtime.bigint() - start) / 1e9];
}

function rawChunk(env: RetroEnv, frames: number): [number, number] {
  return [frames, frames / measureRawFps(env.emulator, frames)];
}

/** Runs `bench` with make() options for the fixture integrations, in a data folder of its own. */
function withOptions(bench: (base: MakeOptions) => BenchRow[]): BenchRow[] {
  const dataDir = mkdtempSync(join(tmpdir(), 'rgym-bench-n64-'));
  try {
    return bench({ integrationPaths: [join(packageRoot(), 'test', 'fixtures', 'integrations')], dataDir, frameskip: FRAMESKIP, useRestrictedActions: Actions.ALL, analog: false });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** VIs a second with a picture taken after each, on an Emulator of our ROM. */
function pictureChunk(emulator: Emulator, vis: number): [number, number] {
  const start = process.hrtime.bigint();
  for (let i = 0; i < vis; i++) {
    emulator.step(1);
    emulator.getFrame();
  }
  return [vis, Number(process.hrtime.bigint() - start) / 1e9];
}

/**
 * The two ways our core makes pictures (core option rgym-mupen64plus-video): the VI scan-out from RDRAM against
 * glide64mk2 drawing with GL (Mesa's llvmpipe when there is no GPU), a picture after every VI.
 */
export function benchN64Video(seconds: number): BenchRow[] {
  const rom = join(packageRoot(), 'homebrew', 'test', 'n64-test.z64');
  let gl: Emulator;
  try {
    gl = new Emulator({ rom, coreOptions: { 'rgym-mupen64plus-video': 'glide64mk2' } });
  } catch (error) {
    // No glide64mk2 or no EGL here (an optional part): no row, rather than no n64 bench at all.
    if (error instanceof CoreError) return [];
    throw error;
  }
  const scanout = new Emulator({ rom });
  try {
    const vis = Math.max(10, Math.round((measureRawFps(gl, 60) * seconds) / 20));
    const paired = interleave(20, () => pictureChunk(scanout, vis), () => pictureChunk(gl, vis));
    return [
      {
        bench: 'n64-video',
        system: 'n64',
        scanout_vi_per_s: Math.round(paired.a * 10) / 10,
        glide64mk2_vi_per_s: Math.round(paired.b * 10) / 10,
        ratio: Math.round(paired.ratio * 1000) / 1000,
        overhead_us_per_vi: Math.round(paired.extraMicrosPerFrame * 10) / 10,
      },
    ];
  } finally {
    gl.close();
    scanout.close();
  }
}

/** make() with pictures and RAM-only against the bare core. */
export function benchN64Env(seconds: number): BenchRow[] {
  return withOptions((base) => {
    const rows: BenchRow[] = [];
    for (const observation of ['rgb', 'ram'] as const) {
      const env = make('TestRom-N64', { ...base, obsType: observation === 'ram' ? Observations.RAM : Observations.IMAGE });
      try {
        env.reset();
        const steps = Math.max(10, Math.round((measureRawFps(env.emulator, 60) * seconds) / 20 / FRAMESKIP));
        const paired = interleave(20, () => rawChunk(env, steps * FRAMESKIP), () => envChunk(env, steps));
        rows.push({
          bench: 'n64-env-vs-raw',
          system: 'n64',
          observation,
          frameskip: FRAMESKIP,
          raw_fps: Math.round(paired.a * 10) / 10,
          env_fps: Math.round(paired.b * 10) / 10,
          ratio: Math.round(paired.ratio * 1000) / 1000,
          overhead_us_per_step: Math.round(paired.extraMicrosPerFrame * FRAMESKIP * 10) / 10,
        });
      } finally {
        env.close();
      }
    }
    return rows;
  });
}

/** BatchEnv with 2 and 4 N64s against one env. */
export function benchN64Batch(seconds: number): BenchRow[] {
  return withOptions((base) => {
    const rows: BenchRow[] = [];
    for (const numEnvs of [2, 4]) {
      const single = make('TestRom-N64', base);
      const batch = new BatchEnv('TestRom-N64', { ...base, numEnvs });
      try {
        single.reset();
        batch.reset();
        const actions = Array.from({ length: numEnvs }, () => new Uint8Array(single.buttons.length));
        const steps = Math.max(5, Math.round((measureRawFps(single.emulator, 60) * seconds) / (3 * CHUNKS) / FRAMESKIP));
        const one: number[] = [], many: number[] = [];
        for (let c = 0; c < CHUNKS; c++) {
          const [f1, s1] = envChunk(single, steps);
          one.push(f1 / s1);
          const start = process.hrtime.bigint();
          for (let i = 0; i < steps; i++) batch.step(actions);
          many.push((steps * FRAMESKIP * numEnvs) / (Number(process.hrtime.bigint() - start) / 1e9));
        }
        rows.push({
          bench: 'n64-batch-env',
          system: 'n64',
          num_envs: numEnvs,
          engine: batch.engine,
          single_env_fps: Math.round(median(one)),
          batch_fps: Math.round(median(many)),
          ratio_to_single_env: Math.round(median(many.map((m, c) => m / one[c])) * 1000) / 1000,
        });
      } finally {
        batch.close();
        single.close();
      }
    }
    return rows;
  });
}
