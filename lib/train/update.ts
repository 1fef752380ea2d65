/**
 * The learning half of PPO: epochs of shuffled minibatches over one rollout, each a gradient step on the clipped
 * loss with global-norm clipping.
 */
import type * as TF from '@tensorflow/tfjs';
import type { Rng } from '../rng.ts';
import type { Adam } from './adam.ts';
import { entropyOf, logProbOf } from './action-head.ts';
import type { Agent } from './agent.ts';
import { clipByGlobalNorm, ppoLossTerms, type LossCoefficients } from './ppo-loss.ts';
import type { RolloutBuffer } from './rollout-buffer.ts';

export interface UpdateSettings extends LossCoefficients {
  numMinibatches: number;
  updateEpochs: number;
  maxGradNorm: number;
  targetKl: number;
}

/** Means over the update's minibatches, as CleanRL logs them. */
export interface UpdateStats {
  policyLoss: number;
  valueLoss: number;
  entropy: number;
  approxKl: number;
  clipFraction: number;
  gradNorm: number;
  /** 1 − Var(returns − values) / Var(returns): how much of the returns the critic explains. */
  explainedVariance: number;
  /** Epochs run (fewer than asked when the KL target stopped it). */
  epochs: number;
}

/** Fisher–Yates shuffle of 0..n−1 with our seeded generator. */
export function permutation(n: number, rng: Rng): Uint32Array {
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.integer(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

export function explainedVariance(predicted: ArrayLike<number>, targets: ArrayLike<number>): number {
  const n = targets.length;
  let meanT = 0;
  let meanD = 0;
  for (let i = 0; i < n; i++) {
    meanT += targets[i] / n;
    meanD += (targets[i] - predicted[i]) / n;
  }
  let varT = 0;
  let varD = 0;
  for (let i = 0; i < n; i++) {
    varT += (targets[i] - meanT) ** 2;
    varD += (targets[i] - predicted[i] - meanD) ** 2;
  }
  return varT === 0 ? Number.NaN : 1 - varD / varT;
}

export function ppoUpdate(
  agent: Agent,
  optimizer: Adam,
  buffer: RolloutBuffer,
  targets: { advantages: Float32Array; returns: Float32Array },
  settings: UpdateSettings,
  rng: Rng,
): UpdateStats {
  const tf = agent.tf;
  const size = buffer.size;
  const minibatch = size / settings.numMinibatches;
  const dims = agent.head.dims;
  const obsScratch = buffer.observations instanceof Float32Array ? new Float32Array(minibatch * buffer.observationSize) : new Uint8Array(minibatch * buffer.observationSize);
  const sums = { policyLoss: 0, valueLoss: 0, entropy: 0, approxKl: 0, clipFraction: 0, gradNorm: 0 };
  let minibatches = 0;
  let epochs = 0;
  for (let epoch = 0; epoch < settings.updateEpochs; epoch++) {
    epochs++;
    const order = permutation(size, rng);
    let epochKl = 0;
    let epochBatches = 0;
    for (let start = 0; start < size; start += minibatch) {
      const indices = order.subarray(start, start + minibatch);
      const pick = (source: Float32Array) => Float32Array.from(indices, (i) => source[i]);
      const actions = new Int32Array(minibatch * dims);
      indices.forEach((i, k) => actions.set(buffer.actions.subarray(i * dims, (i + 1) * dims), k * dims));
      const observations = buffer.gatherObservations(indices, obsScratch);
      const stats = tf.tidy(() => {
        const obs = agent.input(observations, minibatch);
        const actionTensor = tf.tensor2d(actions, [minibatch, dims], 'int32');
        const oldLogProbs = tf.tensor1d(pick(buffer.logProbs));
        const advantages = tf.tensor1d(pick(targets.advantages));
        const returns = tf.tensor1d(pick(targets.returns));
        const oldValues = tf.tensor1d(pick(buffer.values));
        // variableGrads disposes everything its function made except the loss: keep the diagnostics explicitly.
        let diagnostics: TF.Tensor1D | undefined;
        const { grads } = tf.variableGrads(() => {
          const { logits, values } = agent.policy.forward(obs);
          const terms = ppoLossTerms(
            tf,
            {
              newLogProbs: logProbOf(tf, agent.head, logits, actionTensor),
              oldLogProbs,
              advantages,
              newValues: values,
              oldValues,
              returns,
              entropy: entropyOf(tf, agent.head, logits),
            },
            settings,
          );
          diagnostics = tf.keep(tf.stack([terms.policyLoss, terms.valueLoss, terms.entropy, terms.approxKl, terms.clipFraction]) as TF.Tensor1D);
          return terms.loss;
        }, agent.policy.variables);
        const ordered = agent.policy.variables.map((v) => grads[v.name]);
        const clipped = clipByGlobalNorm(tf, ordered, settings.maxGradNorm);
        optimizer.apply(clipped.grads);
        const kept = diagnostics!;
        const all = tf.concat([kept, tf.reshape(clipped.norm, [1])]);
        kept.dispose();
        return all;
      });
      const [policyLoss, valueLoss, entropy, approxKl, clipFraction, gradNorm] = stats.dataSync();
      stats.dispose();
      sums.policyLoss += policyLoss;
      sums.valueLoss += valueLoss;
      sums.entropy += entropy;
      sums.approxKl += approxKl;
      sums.clipFraction += clipFraction;
      sums.gradNorm += gradNorm;
      epochKl += approxKl;
      epochBatches++;
      minibatches++;
    }
    if (settings.targetKl > 0 && epochKl / epochBatches > settings.targetKl) break;
  }
  const mean = (x: number) => x / minibatches;
  return {
    policyLoss: mean(sums.policyLoss),
    valueLoss: mean(sums.valueLoss),
    entropy: mean(sums.entropy),
    approxKl: mean(sums.approxKl),
    clipFraction: mean(sums.clipFraction),
    gradNorm: mean(sums.gradNorm),
    explainedVariance: explainedVariance(buffer.values, targets.returns),
    epochs,
  };
}
