import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { make } from '../lib/env/retro-env.ts';
import { packageRoot } from '../lib/package-root.ts';
import { interleave, type BenchRow } from './report.ts';
import { measureRawFps } from './raw-fps.ts';

/**
 * `RetroEnv.step` at frameskip 4 on the NES fixture integration (10 RAM variables) with each kind of scenario —
 * JSON rules, Lua, TypeScript — against the raw core on the same ROM.
 */
export function benchEnvVsRaw(seconds: number): BenchRow[] {
  const dataDir = mkdtempSync(join(tmpdir(), 'rgym-bench-'));
  const rows: BenchRow[] = [];
  try {
    for (const scenario of ['scenario', 'scenario-lua', 'scenario-ts']) {
      const frameskip = 4;
      const env = make('TestRom-Nes', { integrationPaths: [join(packageRoot(), 'test', 'fixtures', 'integrations')], dataDir, scenario, frameskip });
      try {
        env.reset();
        const probeFps = measureRawFps(env.emulator, 120);
        const steps = Math.max(20, Math.round((probeFps * seconds) / 40 / frameskip));
        const actions = Array.from({ length: 64 }, (_, i) => Uint8Array.from({ length: 9 }, (_, b) => ((i * 37) >> b) & 1));
        const { a: raw, b: ours, ratio, extraMicrosPerFrame } = interleave(
          20,
          () => [steps * frameskip, (steps * frameskip) / measureRawFps(env.emulator, steps * frameskip)],
          () => {
            const start = process.hrtime.bigint();
            for (let i = 0; i < steps; i++) {
              if (env.step(actions[i & 63]).terminated) env.reset();
            }
            return [steps * frameskip, Number(process.hrtime.bigint() - start) / 1e9];
          },
        );
        rows.push({
          bench: 'env-vs-raw',
          system: 'nes',
          scenario: scenario === 'scenario' ? 'json' : scenario.slice('scenario-'.length),
          variables: 10,
          frameskip,
          raw_fps: Math.round(raw * 10) / 10,
          env_fps: Math.round(ours * 10) / 10,
          ratio: Math.round(ratio * 1000) / 1000,
          overhead_us_per_step: Math.round(extraMicrosPerFrame * frameskip * 10) / 10,
        });
      } finally {
        env.close();
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}
