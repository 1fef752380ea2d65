/**
 * Actor-critic networks as plain tfjs variables (no layers API: the update needs nothing more than matMul, conv2d
 * and a handful of element-wise ops, and plain variables save and load as named arrays).
 *
 * - `mlp`: CleanRL's `ppo.py` agent: separate actor and critic, each two tanh layers of `hidden` units, over a
 *   vector of normalised RAM variables.
 * - `cnn`: CleanRL's `ppo_atari.py` agent: one shared convolutional trunk over stacked gray frames
 *   [B, 84, 84, stack] (uint8 scaled to [0, 1]), ReLU, then an actor and a critic head. `nature` is the DQN
 *   Nature network (32·8×8/4, 64·4×4/2, 64·3×3/1, 512); `small` the lighter DQN 2013 one (16·8×8/4, 32·4×4/2,
 *   256), about 3× cheaper to train on a CPU.
 */
import type * as TF from '@tensorflow/tfjs';
import { Rng } from '../rng.ts';
import { orthogonal } from './init.ts';

export type PolicyKind = 'mlp' | 'cnn';
export type CnnKind = 'small' | 'nature';

export interface PolicySpec {
  kind: PolicyKind;
  /** mlp: [features]; cnn: [height, width, stack]. */
  inputShape: number[];
  /** Width of the action head's logit row. */
  logits: number;
  /** mlp: units per hidden layer. */
  hidden?: number;
  /** cnn: which trunk. */
  cnn?: CnnKind;
}

interface Conv {
  filters: number;
  size: number;
  stride: number;
}

const CNN_TRUNKS: Record<CnnKind, { convs: Conv[]; dense: number }> = {
  small: { convs: [{ filters: 16, size: 8, stride: 4 }, { filters: 32, size: 4, stride: 2 }], dense: 256 },
  nature: {
    convs: [
      { filters: 32, size: 8, stride: 4 },
      { filters: 64, size: 4, stride: 2 },
      { filters: 64, size: 3, stride: 1 },
    ],
    dense: 512,
  },
};

/** A named parameter's shape and values, in the order the network creates them. */
export interface NamedArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

export class ActorCritic {
  readonly variables: TF.Variable[] = [];
  private readonly byName = new Map<string, TF.Variable>();

  constructor(
    private readonly tf: typeof TF,
    readonly spec: PolicySpec,
    seed: number,
  ) {
    const rng = Rng.fromSeed(seed);
    const sqrt2 = Math.SQRT2;
    if (spec.kind === 'mlp') {
      const hidden = spec.hidden ?? 64;
      const [features] = spec.inputShape;
      for (const part of ['actor', 'critic'] as const) {
        this.dense(`${part}/h1`, features, hidden, sqrt2, rng);
        this.dense(`${part}/h2`, hidden, hidden, sqrt2, rng);
      }
      this.dense('actor/out', hidden, spec.logits, 0.01, rng);
      this.dense('critic/out', hidden, 1, 1, rng);
      return;
    }
    const trunk = CNN_TRUNKS[spec.cnn ?? 'small'];
    let [height, width, channels] = spec.inputShape;
    trunk.convs.forEach((conv, i) => {
      this.add(`trunk/conv${i + 1}/w`, [conv.size, conv.size, channels, conv.filters], orthogonal(conv.size * conv.size * channels, conv.filters, sqrt2, rng));
      this.add(`trunk/conv${i + 1}/b`, [conv.filters], new Float32Array(conv.filters));
      height = Math.floor((height - conv.size) / conv.stride) + 1;
      width = Math.floor((width - conv.size) / conv.stride) + 1;
      channels = conv.filters;
      if (height < 1 || width < 1) throw new RangeError(`the ${spec.cnn ?? 'small'} CNN needs larger frames than ${spec.inputShape.join('×')}`);
    });
    this.dense('trunk/dense', height * width * channels, trunk.dense, sqrt2, rng);
    this.dense('actor/out', trunk.dense, spec.logits, 0.01, rng);
    this.dense('critic/out', trunk.dense, 1, 1, rng);
  }

  private add(name: string, shape: number[], data: Float32Array): void {
    const variable = this.tf.tidy(() => this.tf.variable(this.tf.tensor(data, shape, 'float32'), true));
    this.variables.push(variable);
    this.byName.set(name, variable);
  }

  private dense(name: string, inputs: number, outputs: number, gain: number, rng: Rng): void {
    this.add(`${name}/w`, [inputs, outputs], orthogonal(inputs, outputs, gain, rng));
    this.add(`${name}/b`, [outputs], new Float32Array(outputs));
  }

  private v(name: string): TF.Variable {
    return this.byName.get(name)!;
  }

  private linear(x: TF.Tensor2D, name: string): TF.Tensor2D {
    return this.tf.add(this.tf.matMul(x, this.v(`${name}/w`)), this.v(`${name}/b`));
  }

  /** Logits [B, logits] and values [B] for a batch of observations (float32, already scaled). */
  forward(observations: TF.Tensor): { logits: TF.Tensor2D; values: TF.Tensor1D } {
    const tf = this.tf;
    if (this.spec.kind === 'mlp') {
      const x = observations as TF.Tensor2D;
      const actor = tf.tanh(this.linear(tf.tanh(this.linear(x, 'actor/h1')), 'actor/h2'));
      const critic = tf.tanh(this.linear(tf.tanh(this.linear(x, 'critic/h1')), 'critic/h2'));
      return { logits: this.linear(actor, 'actor/out'), values: tf.reshape(this.linear(critic, 'critic/out'), [-1]) };
    }
    const trunk = CNN_TRUNKS[this.spec.cnn ?? 'small'];
    let h = observations as TF.Tensor4D;
    trunk.convs.forEach((conv, i) => {
      h = tf.relu(tf.add(tf.conv2d(h, this.v(`trunk/conv${i + 1}/w`) as TF.Tensor4D, conv.stride, 'valid'), this.v(`trunk/conv${i + 1}/b`))) as TF.Tensor4D;
    });
    const flat = tf.reshape(h, [h.shape[0], -1]) as TF.Tensor2D;
    const hidden = tf.relu(this.linear(flat, 'trunk/dense'));
    return { logits: this.linear(hidden, 'actor/out'), values: tf.reshape(this.linear(hidden, 'critic/out'), [-1]) };
  }

  /** Every parameter by name, copied out (for checkpoints). */
  getWeights(): NamedArray[] {
    return [...this.byName].map(([name, v]) => ({ name, shape: [...v.shape], data: v.dataSync() as Float32Array }));
  }

  /** Loads parameters saved by {@link getWeights}; names and shapes must match exactly. */
  setWeights(weights: readonly NamedArray[]): void {
    const given = new Map(weights.map((w) => [w.name, w]));
    for (const [name, v] of this.byName) {
      const w = given.get(name);
      if (!w) throw new RangeError(`the checkpoint has no parameter ${name}`);
      if (w.shape.join('×') !== v.shape.join('×')) throw new RangeError(`parameter ${name} is ${w.shape.join('×')} in the checkpoint, ${v.shape.join('×')} in this network`);
      v.assign(this.tf.tensor(w.data, w.shape, 'float32'));
    }
    if (given.size !== this.byName.size) throw new RangeError(`the checkpoint has ${given.size} parameters, this network ${this.byName.size}`);
  }

  /** Frees the variables. */
  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
