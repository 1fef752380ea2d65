/**
 * PPO's loss (Schulman et al. 2017) with the details of CleanRL's `ppo.py`: clipped surrogate objective, value
 * loss clipped around the rollout's values, entropy bonus, per-minibatch advantage normalisation, and the
 * diagnostics everyone plots (approximate KL, clip fraction).
 */
import type * as TF from '@tensorflow/tfjs';

export interface LossCoefficients {
  /** ε of the clipped ratio (and of the value clipping). */
  clipCoef: number;
  /** Clip the value loss around the rollout's value estimates. */
  clipValueLoss: boolean;
  entCoef: number;
  vfCoef: number;
  /** Normalise advantages to zero mean, unit std within each minibatch. */
  normAdvantages: boolean;
}

export interface LossInputs {
  newLogProbs: TF.Tensor1D;
  oldLogProbs: TF.Tensor1D;
  advantages: TF.Tensor1D;
  newValues: TF.Tensor1D;
  oldValues: TF.Tensor1D;
  returns: TF.Tensor1D;
  entropy: TF.Tensor1D;
}

export interface LossTerms {
  loss: TF.Scalar;
  policyLoss: TF.Scalar;
  valueLoss: TF.Scalar;
  entropy: TF.Scalar;
  /** (r − 1) − log r averaged: an estimator of KL(old ‖ new) that is never negative. */
  approxKl: TF.Scalar;
  /** Share of samples whose ratio left [1 − ε, 1 + ε]. */
  clipFraction: TF.Scalar;
}

export function ppoLossTerms(tf: typeof TF, x: LossInputs, c: LossCoefficients): LossTerms {
  const logRatio = tf.sub(x.newLogProbs, x.oldLogProbs);
  const ratio = tf.exp(logRatio);
  let advantages: TF.Tensor1D = x.advantages;
  if (c.normAdvantages) {
    const { mean, variance } = tf.moments(advantages);
    // Bessel-corrected std, as torch.std() computes it.
    const n = advantages.shape[0];
    const std = tf.sqrt(tf.mul(variance, n > 1 ? n / (n - 1) : 1));
    advantages = tf.div(tf.sub(advantages, mean), tf.add(std, 1e-8));
  }
  const unclipped = tf.mul(tf.neg(advantages), ratio);
  const clipped = tf.mul(tf.neg(advantages), tf.clipByValue(ratio, 1 - c.clipCoef, 1 + c.clipCoef));
  const policyLoss = tf.mean(tf.maximum(unclipped, clipped)) as TF.Scalar;

  const valueError = tf.square(tf.sub(x.newValues, x.returns));
  let valueLoss: TF.Scalar;
  if (c.clipValueLoss) {
    const clippedValues = tf.add(x.oldValues, tf.clipByValue(tf.sub(x.newValues, x.oldValues), -c.clipCoef, c.clipCoef));
    const clippedError = tf.square(tf.sub(clippedValues, x.returns));
    valueLoss = tf.mul(0.5, tf.mean(tf.maximum(valueError, clippedError)));
  } else {
    valueLoss = tf.mul(0.5, tf.mean(valueError));
  }
  const entropy = tf.mean(x.entropy) as TF.Scalar;
  const loss = tf.add(tf.sub(policyLoss, tf.mul(c.entCoef, entropy)), tf.mul(c.vfCoef, valueLoss)) as TF.Scalar;
  const approxKl = tf.mean(tf.sub(tf.sub(ratio, 1), logRatio)) as TF.Scalar;
  const clipFraction = tf.mean(tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), c.clipCoef), 'float32')) as TF.Scalar;
  return { loss, policyLoss, valueLoss, entropy, approxKl, clipFraction };
}

/** Scales gradients so their global L2 norm is at most `maxNorm`; returns the norm before scaling. */
export function clipByGlobalNorm(tf: typeof TF, grads: TF.Tensor[], maxNorm: number): { grads: TF.Tensor[]; norm: TF.Scalar } {
  const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as TF.Scalar;
  const scale = tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6)));
  return { grads: grads.map((g) => tf.mul(g, scale)), norm };
}
