/**
 * End-to-end PPO throughput against the bare BatchEnv on the same settings, in one run: the bare envs step with
 * random actions for a while, then the trainer runs a few updates, then the bare envs again. Reports the
 * trainer's agent steps/s, how its time splits (env stepping, inference, learning) and its ratio to the bare
 * envs' mean rate, which says whether the emulator or the learner holds training back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../lib/rng.ts';
import { randomAction } from '../lib/train/action-head.ts';
import { loadTensorFlow } from '../lib/train/backend.ts';
import { readGameTrainDefaults, resolveConfig, type TrainConfig } from '../lib/train/config.ts';
import { actionCodecFor, makeEnvs } from '../lib/train/setup.ts';
import { train } from '../lib/train/trainer.ts';
import { overheadMicros, type BenchRow } from './report.ts';

/** Agent steps/s of the bare batch for about `seconds`, random actions drawn through the trainer's codec. */
function bareStepsPerSecond(config: TrainConfig, seconds: number): number {
  const envs = makeEnvs(config, config.numEnvs);
  try {
    const codec = actionCodecFor(config, envs);
    const rng = Rng.fromSeed(1);
    const draw = () => randomAction(codec, rng);
    envs.reset();
    let steps = 0;
    const start = performance.now();
    while (performance.now() - start < seconds * 1000) {
      envs.step(Array.from({ length: config.numEnvs }, draw));
      steps += config.numEnvs;
    }
    return steps / ((performance.now() - start) / 1000);
  } finally {
    envs.close();
  }
}

export async function benchTraining(seconds: number): Promise<BenchRow[]> {
  const runtime = await loadTensorFlow('auto');
  const rows: BenchRow[] = [];
  for (const policy of ['mlp', 'cnn'] as const) {
    const updates = policy === 'mlp' ? 6 : 2;
    const flags: Partial<TrainConfig> = { policy, evalEvery: 0, evalEpisodes: 0, checkpointEvery: 1000 };
    const probe = resolveConfig('TinyKart-Nes', flags, readGameTrainDefaults('TinyKart-Nes'));
    const config = { ...probe, totalTimesteps: updates * probe.numEnvs * probe.numSteps };
    const before = bareStepsPerSecond(config, seconds);
    const runDir = mkdtempSync(join(tmpdir(), 'rgym-bench-train-'));
    try {
      const result = await train(config, { runDir, runtime, events: { log: () => {}, progress: () => {} } });
      const after = bareStepsPerSecond(config, seconds);
      const bare = (before + after) / 2;
      const { env, inference, learning, total } = result.seconds;
      const sps = result.globalStep / total;
      rows.push({
        bench: `train-${policy}`,
        backend: runtime.backend,
        envs: config.numEnvs,
        'bare steps/s': bare,
        'train steps/s': sps,
        ratio: sps / bare,
        'overhead µs/step': overheadMicros(sps, bare),
        'env %': (100 * env) / total,
        'inference %': (100 * inference) / total,
        'learning %': (100 * learning) / total,
      });
    } finally {
      rmSync(runDir, { recursive: true, force: true });
    }
  }
  return rows;
}
