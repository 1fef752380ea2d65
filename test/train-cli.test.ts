// retro train / retro eval as a user meets them: flag errors, checkpoints that reload to the same policy, resume,
// Ctrl-C, and a missing TensorFlow.js. Real envs (TinyKart on nestopia), tiny runs.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { runCli } from '../lib/cli/dispatch.ts';
import { packageRoot } from '../lib/package-root.ts';
import { Discrete } from '../lib/spaces/index.ts';
import { actionHeadFor } from '../lib/train/action-head.ts';
import { Agent } from '../lib/train/agent.ts';
import { checkTrainerDependencies, loadTensorFlow, type TfRuntime } from '../lib/train/backend.ts';
import { readCheckpoint, writeCheckpoint, type CheckpointMeta } from '../lib/train/checkpoint.ts';
import { parseTrainFlags, resolveConfig } from '../lib/train/config.ts';
import { evaluate } from '../lib/train/evaluate.ts';
import { resolveCheckpoint } from '../lib/train/run-dir.ts';
import { train } from '../lib/train/trainer.ts';
import { captureIO, tempDir } from './fixtures/helpers.ts';

const tmp = tempDir('retro-train-');
after(() => tmp.cleanup());
const io = () => captureIO({ HOME: tmp.dir, RETRO_DATA_DIR: join(tmp.dir, 'data') }, tmp.dir);
const tiny = ['--num-envs', '2', '--num-steps', '16', '--num-minibatches', '2', '--update-epochs', '2', '--eval-episodes', '0', '--backend', 'wasm'];

let tf: typeof TF;
let runtime: TfRuntime;
before(async () => {
  runtime = await loadTensorFlow('wasm');
  tf = runtime.tf;
});

describe('retro train flags', () => {
  test('bad values are usage errors that name the flag and the value', async () => {
    const cases: [string[], RegExp][] = [
      [['--num-envs', '0'], /--num-envs must be at least 1, got 0/],
      [['--num-envs', 'abc'], /--num-envs must be an integer, got 'abc'/],
      [['--learning-rate', '1e-3x'], /--learning-rate must be a number/],
      [['--policy', 'rnn'], /--policy must be one of mlp, cnn, got 'rnn'/],
      [['--gamma', '1.5'], /--gamma must be at most 1/],
      [['--bogus'], /Unknown option '--bogus'/],
      [['--num-envs', '3', '--num-steps', '5', '--num-minibatches', '4'], /--num-minibatches \(4\) must divide num-envs × num-steps \(15\)/],
      [['A-Nes', 'B-Nes'], /takes one game/],
    ];
    for (const [args, message] of cases) {
      const c = io();
      assert.equal(await runCli(['train', ...args], c), 2, args.join(' '));
      assert.match(c.err(), message);
    }
  });

  test('defaults, CNN overrides and negated booleans', () => {
    const mlp = resolveConfig('TinyKart-Nes', parseTrainFlags([]).flags);
    assert.equal(mlp.policy, 'mlp');
    assert.equal(mlp.normObs, true);
    const cnn = resolveConfig('TinyKart-Nes', parseTrainFlags(['--policy', 'cnn', '--no-anneal-lr', '--num-envs', '4']).flags);
    assert.equal(cnn.normObs, false);
    assert.equal(cnn.learningRate, 2.5e-4);
    assert.equal(cnn.annealLr, false);
    assert.equal(cnn.numEnvs, 4);
  });

  test('--help lists every flag with its default', async () => {
    const c = io();
    assert.equal(await runCli(['train', '--help'], c), 0);
    assert.match(c.out(), /--total-timesteps N\s+agent steps to train for.*\[\d+\]/);
    assert.match(c.out(), /--\[no-\]norm-obs/);
  });

  test('an unknown game is a clear error, before anything is written', async () => {
    const c = io();
    assert.equal(await runCli(['train', 'NoSuchGame-Nes', ...tiny, '--run-dir', join(tmp.dir, 'nogame')], c), 1);
    assert.match(c.err(), /NoSuchGame-Nes/);
    assert.ok(!existsSync(join(tmp.dir, 'nogame', 'checkpoints')) || readdirSync(join(tmp.dir, 'nogame', 'checkpoints')).length === 0);
  });

  test('missing TensorFlow.js or plot packages name the npm install line', async () => {
    await assert.rejects(
      checkTrainerDependencies(async (name) => (name === '@tensorflow/tfjs' || name === 'vega' ? undefined : {})),
      (e: Error & { code?: string }) =>
        e.code === 'DEPENDENCY_MISSING' && /not installed: @tensorflow\/tfjs, vega/.test(e.message) && /npm install @tensorflow\/tfjs@4 @tensorflow\/tfjs-backend-wasm@4 vega/.test(e.message),
    );
    await checkTrainerDependencies();
  });
});

describe('checkpoints', () => {
  test('a saved policy loads into another network and gives identical action probabilities', () => {
    const head = actionHeadFor(new Discrete(6));
    const spec = { kind: 'mlp' as const, inputShape: [5], logits: 6, hidden: 16 };
    const trained = new Agent(tf, spec, head, 1);
    const fresh = new Agent(tf, spec, head, 2);
    const observations = Float32Array.from({ length: 20 }, (_, i) => Math.sin(i));
    const before = fresh.evaluate(observations, 4).logits;
    const expected = trained.evaluate(observations, 4);
    assert.notDeepEqual([...before], [...expected.logits]);
    const path = join(tmp.dir, 'unit.ckpt');
    writeCheckpoint(path, { meta: { note: 'unit' }, arrays: trained.policy.getWeights() });
    const loaded = readCheckpoint<{ note: string }>(path);
    assert.equal(loaded.meta.note, 'unit');
    fresh.policy.setWeights(loaded.arrays);
    const after = fresh.evaluate(observations, 4);
    assert.deepEqual([...after.logits], [...expected.logits]);
    assert.deepEqual([...after.values], [...expected.values]);
    trained.dispose();
    fresh.dispose();
  });

  test('damaged checkpoints are refused with CHECKPOINT_INVALID', () => {
    const path = join(tmp.dir, 'bad.ckpt');
    writeCheckpoint(path, { meta: {}, arrays: [{ name: 'w', shape: [4], data: new Float32Array(4) }] });
    const bytes = readFileSync(path);
    for (const [name, data] of [
      ['magic', Buffer.concat([Buffer.from('NOTACKPT'), bytes.subarray(8)])],
      ['truncated', bytes.subarray(0, bytes.length - 3)],
    ] as const) {
      const damaged = join(tmp.dir, `${name}.ckpt`);
      writeFileSync(damaged, data);
      assert.throws(() => readCheckpoint(damaged), (e: Error & { code?: string }) => e.code === 'CHECKPOINT_INVALID', name);
    }
  });

  test('train, resume and eval: counters continue, metrics append, eval reads the newest checkpoint', async () => {
    const runDir = join(tmp.dir, 'run');
    const first = io();
    assert.equal(await runCli(['train', ...tiny, '--total-timesteps', '64', '--run-dir', runDir], first), 0, first.err());
    assert.match(first.out(), /backend wasm/);
    assert.match(first.out(), /plot\s+.*returns\.png/);
    const { checkpoint } = resolveCheckpoint(runDir);
    const meta = readCheckpoint<CheckpointMeta>(checkpoint).meta;
    assert.equal(meta.update, 2);
    assert.equal(meta.globalStep, 64);
    for (const [flags, message] of [
      [['--policy', 'cnn'], /--policy cannot change when resuming: the checkpoint was trained with "mlp"/],
      [['--hidden', '32'], /--hidden cannot change when resuming/],
      [['--num-minibatches', '3'], /--num-minibatches \(3\) must divide num-envs × num-steps \(32\)/],
    ] as const) {
      const refused = io();
      assert.equal(await runCli(['train', '--resume', runDir, ...flags], refused), 2, flags.join(' '));
      assert.match(refused.err(), message);
    }
    const resumed = io();
    assert.equal(await runCli(['train', '--resume', runDir, '--total-timesteps', '128'], resumed), 0, resumed.err());
    const records = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { update: number; global_step: number });
    assert.deepEqual(records.map((r) => r.update), [1, 2, 3, 4]);
    assert.deepEqual(records.map((r) => r.global_step), [32, 64, 96, 128]);
    assert.ok(readdirSync(runDir).some((f) => f.startsWith('events.out.tfevents.')));
    const png = readFileSync(join(runDir, 'returns.png'));
    assert.equal(png.subarray(1, 4).toString(), 'PNG');

    const gif = join(tmp.dir, 'eval.gif');
    const c = io();
    assert.equal(await runCli(['eval', runDir, '--episodes', '1', '--max-steps', '40', '--gif', gif], c), 0, c.err());
    assert.match(c.out(), /update-000004\.ckpt/);
    assert.match(c.out(), /episode 1: return -?\d+\.\d+, \d+ steps, lap \d/);
    assert.equal(readFileSync(gif).subarray(0, 6).toString(), 'GIF89a');
    // Deterministic evaluation is repeatable.
    const a = await evaluate(resolveCheckpoint(runDir).checkpoint, { episodes: 1, maxSteps: 40 });
    const b = await evaluate(resolveCheckpoint(runDir).checkpoint, { episodes: 1, maxSteps: 40 });
    assert.deepEqual(a.episodes, b.episodes);
  });

  test('a trainer that fails while starting closes the envs it made', async () => {
    // Emulators make their work folders in os.tmpdir(): a private one shows whether any was left open.
    const privateTmp = join(tmp.dir, 'work');
    mkdirSync(privateTmp);
    const damaged = join(tmp.dir, 'damaged.ckpt');
    writeFileSync(damaged, 'not a checkpoint');
    const config = resolveConfig('TinyKart-Nes', parseTrainFlags([...tiny, '--total-timesteps', '64', '--eval-every', '1']).flags);
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp;
    try {
      await assert.rejects(
        train({ ...config, resume: damaged }, { runDir: join(tmp.dir, 'failing'), runtime, events: { log: () => {}, progress: () => {} } }),
        (e: Error & { code?: string }) => e.code === 'CHECKPOINT_INVALID',
      );
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
    }
    assert.deepEqual(readdirSync(privateTmp).filter((f) => f.startsWith('libretro-gym-')), []);
  });

  test('Ctrl-C saves a loadable checkpoint and exits 130', async () => {
    const runDir = join(tmp.dir, 'interrupted');
    const child = spawn(process.execPath, ['--import', 'tsx', join(packageRoot(), 'lib/cli/main.ts'), 'train', ...tiny, '--total-timesteps', '100000000', '--run-dir', runDir], {
      cwd: packageRoot(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const metrics = join(runDir, 'metrics.jsonl');
    for (let i = 0; i < 600 && !(existsSync(metrics) && readFileSync(metrics, 'utf8').length > 0); i++) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 130, output);
    assert.match(output, /stopping; saving a checkpoint/);
    const { checkpoint } = resolveCheckpoint(runDir);
    const meta = readCheckpoint<CheckpointMeta>(checkpoint).meta;
    assert.ok(meta.update >= 1);
    const result = await evaluate(checkpoint, { episodes: 1, maxSteps: 10 });
    assert.equal(result.episodes[0].length, 10);
  });
});
