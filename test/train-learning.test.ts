// Does the trainer learn? Real PPO runs on real emulators, sized for CI (a few minutes on 2 cores):
// a task with a known optimum reaches it, and TinyKart policies beat a random policy over three seeds.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli } from '../lib/cli/dispatch.ts';
import { Rng } from '../lib/rng.ts';
import { randomAction } from '../lib/train/action-head.ts';
import { readGameTrainDefaults, resolveConfig, type TrainConfig } from '../lib/train/config.ts';
import { evaluate } from '../lib/train/evaluate.ts';
import { resolveCheckpoint } from '../lib/train/run-dir.ts';
import { actionCodecFor, makeEnvs } from '../lib/train/setup.ts';
import { captureIO, FIXTURE_INTEGRATIONS, tempDir } from './fixtures/helpers.ts';

const tmp = tempDir('retro-learn-');
after(() => tmp.cleanup());
const env = { HOME: tmp.dir, RETRO_DATA_DIR: join(tmp.dir, 'data'), RETRO_INTEGRATION_PATHS: FIXTURE_INTEGRATIONS };
// The trainer makes its envs through make(), which reads the process's environment.
process.env.RETRO_INTEGRATION_PATHS = FIXTURE_INTEGRATIONS;

async function trainRun(name: string, args: string[]): Promise<string> {
  const runDir = join(tmp.dir, name);
  const io = captureIO(env, tmp.dir);
  const code = await runCli(['train', ...args, '--eval-episodes', '0', '--run-dir', runDir], io);
  assert.equal(code, 0, io.err() + io.out());
  return resolveCheckpoint(runDir).checkpoint;
}

/** Mean return of uniformly random actions from the run's own action head, over `episodes` episodes. */
function randomPolicyReturn(config: TrainConfig, episodes: number, seed: number): number {
  const envs = makeEnvs(config, 1, 'next-step');
  try {
    const codec = actionCodecFor(config, envs);
    const rng = Rng.fromSeed(seed);
    let total = 0;
    for (let e = 0; e < episodes; e++) {
      envs.reset();
      for (let steps = 0; steps < 20_000; steps++) {
        const result = envs.step([randomAction(codec, rng)]);
        total += result.rewards[0];
        if (result.terminations[0]) break;
      }
    }
    return total / episodes;
  } finally {
    envs.close();
  }
}

describe('PPO learns', () => {
  test('RightRun-Nes (known optimum 103): the deterministic policy reaches at least 95', async (t) => {
    const checkpoint = await trainRun('rightrun', ['RightRun-Nes', '--total-timesteps', '20480', '--num-envs', '8', '--num-steps', '64', '--seed', '1']);
    const result = await evaluate(checkpoint, { episodes: 2 });
    t.diagnostic(`deterministic return ${result.meanReturn} (optimum 103)`);
    assert.ok(result.meanReturn >= 95, `mean return ${result.meanReturn}`);
  });

  test('TinyKart-Nes Track1: trained MLP policies beat a random policy by a clear margin, over 3 seeds', async (t) => {
    const config = resolveConfig('TinyKart-Nes', {}, readGameTrainDefaults('TinyKart-Nes', { env }));
    const random = randomPolicyReturn(config, 12, 99);
    const trained: number[] = [];
    for (const seed of [1, 2, 3]) {
      const checkpoint = await trainRun(`kart-${seed}`, ['TinyKart-Nes', '--state', 'Track1', '--total-timesteps', '32768', '--seed', String(seed)]);
      trained.push((await evaluate(checkpoint, { episodes: 3, stochastic: true, seed })).meanReturn);
    }
    const mean = trained.reduce((a, b) => a + b, 0) / trained.length;
    t.diagnostic(`trained ${trained.map((x) => x.toFixed(1)).join(', ')} (mean ${mean.toFixed(1)}) vs random ${random.toFixed(2)}`);
    // Each seed on its own, and their mean, must be well above random (a checkpoint is worth 1).
    for (const r of trained) assert.ok(r > random + 2, `trained ${trained.map((x) => x.toFixed(1))} vs random ${random.toFixed(2)}`);
    assert.ok(mean > random + 4, `trained ${trained.map((x) => x.toFixed(1))} vs random ${random.toFixed(2)}`);
  });
});
