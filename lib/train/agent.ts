/**
 * A policy ready to act: the network, its action head and how observations become its input tensor. Rollouts
 * call `act` once per step for all envs together; evaluation calls it with `deterministic`.
 */
import type * as TF from '@tensorflow/tfjs';
import type { Rng } from '../rng.ts';
import { sampleActions, type ActionHead } from './action-head.ts';
import { ActorCritic, type PolicySpec } from './policy.ts';

export interface ActResult {
  /** rows × head.dims action components. */
  actions: Int32Array;
  logProbs: Float64Array;
  values: Float32Array;
}

export class Agent {
  readonly policy: ActorCritic;
  /** Elements of one env's observation. */
  readonly observationSize: number;

  constructor(
    readonly tf: typeof TF,
    readonly spec: PolicySpec,
    readonly head: ActionHead,
    seed: number,
  ) {
    this.policy = new ActorCritic(tf, spec, seed);
    this.observationSize = spec.inputShape.reduce((a, b) => a * b, 1);
  }

  /** Observations as the network's input: float features as they are, frame bytes scaled to [0, 1]. */
  input(observations: Float32Array | Uint8Array, rows: number): TF.Tensor {
    const tf = this.tf;
    const shape = [rows, ...this.spec.inputShape];
    if (observations instanceof Float32Array) return tf.tensor(observations.subarray(0, rows * this.observationSize), shape, 'float32');
    const scaled = new Float32Array(rows * this.observationSize);
    for (let i = 0; i < scaled.length; i++) scaled[i] = observations[i] * (1 / 255);
    return tf.tensor(scaled, shape, 'float32');
  }

  /** Logits and values for `rows` observations, read back to JS. */
  evaluate(observations: Float32Array | Uint8Array, rows: number): { logits: Float32Array; values: Float32Array } {
    const tf = this.tf;
    const [logits, values] = tf.tidy(() => {
      const out = this.policy.forward(this.input(observations, rows));
      return [out.logits, out.values];
    });
    const result = { logits: logits.dataSync() as Float32Array, values: values.dataSync() as Float32Array };
    logits.dispose();
    values.dispose();
    return result;
  }

  /** Actions for `rows` observations: sampled from `rng`, or the most likely ones when `deterministic`. */
  act(observations: Float32Array | Uint8Array, rows: number, rng: Rng | undefined, deterministic = false): ActResult {
    const { logits, values } = this.evaluate(observations, rows);
    const actions = new Int32Array(rows * this.head.dims);
    const logProbs = sampleActions(this.head, logits, rows, rng, actions, deterministic);
    return { actions, logProbs, values };
  }

  dispose(): void {
    this.policy.dispose();
  }
}
