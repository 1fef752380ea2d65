// The trainer's math, checked against hand-computed values and properties: GAE, the PPO loss terms, the action
// heads, running statistics, frame stacking and the orthogonal initialiser.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import type * as TF from '@tensorflow/tfjs';
import { Rng } from '../lib/rng.ts';
import { Discrete, MultiBinary, MultiDiscrete } from '../lib/spaces/index.ts';
import { actionHeadFor, entropyOf, logProbOf, sampleActions } from '../lib/train/action-head.ts';
import { loadTensorFlow } from '../lib/train/backend.ts';
import { computeGae } from '../lib/train/gae.ts';
import { orthogonal } from '../lib/train/init.ts';
import { FrameStacker, RamFeatures } from '../lib/train/observations.ts';
import { clipByGlobalNorm, ppoLossTerms } from '../lib/train/ppo-loss.ts';
import { ObservationNormalizer, RewardNormalizer, RunningMeanStd } from '../lib/train/running-stats.ts';
import { explainedVariance, permutation } from '../lib/train/update.ts';

const close = (actual: number, expected: number, tolerance = 1e-5) =>
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${actual} is not ${expected}`);

let tf: typeof TF;
before(async () => {
  tf = (await loadTensorFlow('wasm')).tf;
});

describe('computeGae', () => {
  test('matches a hand-computed rollout with an episode boundary', () => {
    // Step 1 ends an episode (the observation at step 2 starts a new one), so step 1 does not bootstrap.
    const { advantages, returns } = computeGae({
      numSteps: 3,
      numEnvs: 1,
      rewards: [1, 0, 2],
      values: [0.5, 0.4, 0.3],
      episodeStarts: [0, 0, 1],
      nextValues: [0.2],
      nextEpisodeStarts: [0],
      gamma: 0.9,
      lambda: 0.8,
    });
    // t=2: 2 + 0.9·0.2 − 0.3 = 1.88; t=1: 0 − 0.4 = −0.4; t=0: (1 + 0.9·0.4 − 0.5) + 0.9·0.8·(−0.4) = 0.572
    [0.572, -0.4, 1.88].forEach((x, i) => close(advantages[i], x));
    [1.072, 0, 2.18].forEach((x, i) => close(returns[i], x));
  });

  test('envs are independent and interleaved step-major', () => {
    const single = (r: number[]) =>
      computeGae({ numSteps: 2, numEnvs: 1, rewards: r, values: [0, 0], episodeStarts: [0, 0], nextValues: [1], nextEpisodeStarts: [0], gamma: 0.5, lambda: 1 });
    const both = computeGae({
      numSteps: 2,
      numEnvs: 2,
      rewards: [1, 3, 2, 4],
      values: [0, 0, 0, 0],
      episodeStarts: [0, 0, 0, 0],
      nextValues: [1, 1],
      nextEpisodeStarts: [0, 0],
      gamma: 0.5,
      lambda: 1,
    });
    const a = single([1, 2]);
    const b = single([3, 4]);
    assert.deepEqual([...both.advantages], [a.advantages[0], b.advantages[0], a.advantages[1], b.advantages[1]]);
  });

  test('with λ = 1 the returns are the discounted rewards to go plus the bootstrap (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 20 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true }), (rewards, gamma, bootstrap) => {
        const values = rewards.map((_, i) => Math.sin(i));
        const { returns } = computeGae({ numSteps: rewards.length, numEnvs: 1, rewards, values, episodeStarts: rewards.map(() => 0), nextValues: [bootstrap], nextEpisodeStarts: [0], gamma, lambda: 1 });
        let expected = bootstrap;
        for (let t = rewards.length - 1; t >= 0; t--) {
          expected = rewards[t] + gamma * expected;
          close(returns[t], expected, 1e-4);
        }
      }),
    );
  });

  test('wrong lengths are refused', () => {
    assert.throws(() => computeGae({ numSteps: 2, numEnvs: 1, rewards: [1], values: [0, 0], episodeStarts: [0, 0], nextValues: [0], nextEpisodeStarts: [0], gamma: 1, lambda: 1 }), /rewards has 1 entries, expected 2/);
  });
});

describe('ppoLossTerms', () => {
  const inputs = () => ({
    newLogProbs: tf.tensor1d([Math.log(1.5), Math.log(0.9)]),
    oldLogProbs: tf.tensor1d([0, 0]),
    advantages: tf.tensor1d([1, -2]),
    newValues: tf.tensor1d([1, 0]),
    oldValues: tf.tensor1d([0.5, 0.5]),
    returns: tf.tensor1d([2, 0]),
    entropy: tf.tensor1d([1, 2]),
  });
  const coefficients = { clipCoef: 0.2, clipValueLoss: true, entCoef: 0.01, vfCoef: 0.5, normAdvantages: false };
  const value = (t: TF.Tensor) => t.dataSync()[0];

  test('clipped surrogate, clipped value loss, entropy, KL and clip fraction match hand computation', () => {
    const t = ppoLossTerms(tf, inputs(), coefficients);
    // ratios 1.5 (A=1: max(−1.5, −1.2) = −1.2) and 0.9 (A=−2: inside the clip, 1.8) → 0.3
    close(value(t.policyLoss), 0.3);
    // value 1 vs return 2, clipped to 0.5 + 0.2 = 0.7 → max(1, 1.69); value 0 vs 0, clipped 0.3 → 0.09
    close(value(t.valueLoss), 0.5 * ((1.69 + 0.09) / 2));
    close(value(t.entropy), 1.5);
    close(value(t.loss), 0.3 - 0.01 * 1.5 + 0.5 * 0.445);
    close(value(t.approxKl), (0.5 - Math.log(1.5) + (-0.1 - Math.log(0.9))) / 2);
    close(value(t.clipFraction), 0.5);
  });

  test('unclipped value loss and per-minibatch advantage normalisation', () => {
    const t = ppoLossTerms(tf, inputs(), { ...coefficients, clipValueLoss: false, normAdvantages: true });
    close(value(t.valueLoss), 0.5 * ((1 + 0) / 2));
    // advantages [1, −2] → ±1/√2 (Bessel-corrected std)
    const a = Math.SQRT1_2;
    close(value(t.policyLoss), (Math.max(-a * 1.5, -a * 1.2) + Math.max(a * 0.9, a * 0.9)) / 2, 1e-4);
  });

  test('clipByGlobalNorm scales all gradients together, and leaves small ones alone', () => {
    const { grads, norm } = clipByGlobalNorm(tf, [tf.tensor1d([3, 0]), tf.tensor1d([4])], 1);
    close(value(norm), 5);
    close(grads[0].dataSync()[0], 0.6, 1e-4);
    close(grads[1].dataSync()[0], 0.8, 1e-4);
    const small = clipByGlobalNorm(tf, [tf.tensor1d([0.3])], 1);
    close(small.grads[0].dataSync()[0], 0.3);
  });
});

describe('action heads', () => {
  test('widths for Discrete, MultiDiscrete and MultiBinary', () => {
    assert.deepEqual(actionHeadFor(new Discrete(36)), { kind: 'categorical', sizes: [36], logits: 36, dims: 1 });
    assert.deepEqual(actionHeadFor(new MultiDiscrete([3, 3, 4])), { kind: 'categorical', sizes: [3, 3, 4], logits: 10, dims: 3 });
    assert.deepEqual(actionHeadFor(new MultiBinary(9)), { kind: 'bernoulli', logits: 9, dims: 9 });
  });

  test('sampled log-probabilities equal the tensor log-probabilities; entropy matches its definition (property)', () => {
    const heads = [actionHeadFor(new Discrete(5)), actionHeadFor(new MultiDiscrete([2, 3, 4])), actionHeadFor(new MultiBinary(4))];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 6 }), fc.integer(), (h, rows, seed) => {
        const head = heads[h];
        const rng = Rng.fromSeed(seed);
        const logits = Float32Array.from({ length: rows * head.logits }, () => (rng.nextFloat() - 0.5) * 8);
        const actions = new Int32Array(rows * head.dims);
        const sampled = sampleActions(head, logits, rows, rng, actions);
        const [fromTensors, entropy] = tf.tidy(() => {
          const l = tf.tensor2d(logits, [rows, head.logits]);
          return [logProbOf(tf, head, l, tf.tensor2d(actions, [rows, head.dims], 'int32')).arraySync(), entropyOf(tf, head, l).arraySync()];
        });
        (fromTensors as number[]).forEach((x, r) => close(x, sampled[r], 1e-4));
        // Entropy by enumeration of each dimension's outcomes.
        for (let r = 0; r < rows; r++) {
          let expected = 0;
          const row = logits.subarray(r * head.logits, (r + 1) * head.logits);
          if (head.kind === 'bernoulli') {
            for (const z of row) {
              const p = 1 / (1 + Math.exp(-z));
              expected -= p * Math.log(p) + (1 - p) * Math.log(1 - p);
            }
          } else {
            let offset = 0;
            for (const n of head.sizes) {
              const segment = Array.from(row.subarray(offset, offset + n));
              const max = Math.max(...segment);
              const sum = segment.reduce((s, z) => s + Math.exp(z - max), 0);
              for (const z of segment) {
                const p = Math.exp(z - max) / sum;
                expected -= p * Math.log(p);
              }
              offset += n;
            }
          }
          close((entropy as number[])[r], expected, 1e-4);
        }
      }),
      { numRuns: 60 },
    );
  });

  test('sampling follows the probabilities; deterministic picks the mode', () => {
    const head = actionHeadFor(new Discrete(3));
    const logits = Float32Array.from([Math.log(0.2), Math.log(0.5), Math.log(0.3)]);
    const rng = Rng.fromSeed(7);
    const counts = [0, 0, 0];
    const action = new Int32Array(1);
    for (let i = 0; i < 20_000; i++) {
      sampleActions(head, logits, 1, rng, action);
      counts[action[0]]++;
    }
    [0.2, 0.5, 0.3].forEach((p, k) => assert.ok(Math.abs(counts[k] / 20_000 - p) < 0.015, `${counts}`));
    sampleActions(head, logits, 1, undefined, action, true);
    assert.equal(action[0], 1);
  });
});

describe('running statistics', () => {
  test('RunningMeanStd merged batch by batch equals the statistics of all the data (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 7 }), (rows, chunk) => {
        const stats = new RunningMeanStd(2);
        stats.count = 0; // exact statistics, without the pseudo-count
        for (let i = 0; i < rows.length; i += chunk) stats.update(rows.slice(i, i + chunk).flat(), Math.min(chunk, rows.length - i));
        for (let j = 0; j < 2; j++) {
          const column = rows.map((r) => r[j]);
          const mean = column.reduce((a, b) => a + b, 0) / column.length;
          const variance = column.reduce((a, b) => a + (b - mean) ** 2, 0) / column.length;
          close(stats.mean[j], mean, 1e-6);
          close(stats.variance[j], variance, 1e-6);
        }
      }),
    );
  });

  test('ObservationNormalizer gives zero mean, unit variance, clipped; frozen when not learning', () => {
    const norm = new ObservationNormalizer(1, 3);
    const rows = Float32Array.from([10, 20, 30, 40]);
    norm.normalize(rows, 4, true);
    close(rows.reduce((a, b) => a + b, 0), 0, 1e-3);
    const far = Float32Array.from([1e6]);
    norm.normalize(far, 1, false);
    assert.equal(far[0], 3);
    assert.ok(Math.abs(norm.stats.mean[0] - 25) < 0.01);
  });

  test('RewardNormalizer divides by the std of discounted returns and restarts them at episode ends', () => {
    const norm = new RewardNormalizer(1, 0.5);
    for (let i = 0; i < 200; i++) norm.normalize([1], [i % 2]);
    // Returns alternate 1, 1.5, 1, 1.5, ...: std 0.25 (plus the tiny start).
    close(Math.sqrt(norm.stats.variance[0]), 0.25, 0.02);
    close(norm.normalize([1], [0], false)[0], 4, 0.08);
  });
});

describe('observations', () => {
  test('RamFeatures picks the named variables in order and names a missing one', () => {
    const features = new RamFeatures(['a', 'b', 'c'], ['c', 'a']);
    const out = new Float32Array(4);
    features.read([1, 2, 3, 4, 5, 6], 2, out);
    assert.deepEqual([...out], [3, 1, 6, 4]);
    assert.throws(() => new RamFeatures(['a'], ['zz']), /no variable 'zz'.*it has a/);
  });

  test('FrameStacker keeps the newest frame last and restarts stacks at episode starts', () => {
    const stacker = new FrameStacker(2, 2, 3);
    stacker.push(Uint8Array.from([1, 1, 9, 9]), [1, 1]);
    stacker.push(Uint8Array.from([2, 2, 8, 8]), [0, 0]);
    stacker.push(Uint8Array.from([3, 3, 7, 7]), [0, 1]);
    assert.deepEqual([...stacker.stacks.subarray(0, 6)], [1, 2, 3, 1, 2, 3]);
    assert.deepEqual([...stacker.stacks.subarray(6)], [7, 7, 7, 7, 7, 7]);
  });
});

describe('helpers', () => {
  test('orthogonal matrices have orthonormal rows or columns times the gain (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), fc.integer(), (rows, cols, seed) => {
        const w = orthogonal(rows, cols, 2, Rng.fromSeed(seed));
        const tall = rows >= cols;
        const k = Math.min(rows, cols);
        for (let a = 0; a < k; a++) {
          for (let b = 0; b < k; b++) {
            let dot = 0;
            for (let j = 0; j < Math.max(rows, cols); j++) dot += tall ? w[j * cols + a] * w[j * cols + b] : w[a * cols + j] * w[b * cols + j];
            close(dot, a === b ? 4 : 0, 1e-4);
          }
        }
      }),
    );
  });

  test('permutation is a shuffle of 0..n−1; explained variance is 1 for a perfect critic', () => {
    const p = permutation(100, Rng.fromSeed(3));
    assert.deepEqual([...p].sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i));
    assert.notDeepEqual([...p], Array.from({ length: 100 }, (_, i) => i));
    assert.equal(explainedVariance([1, 2, 3], [1, 2, 3]), 1);
    close(explainedVariance([2, 2, 2], [1, 2, 3]), 0);
  });
});
