/**
 * Adam (Kingma & Ba) with PyTorch's conventions, which PPO's published hyperparameters assume: ε added to
 * √v̂, bias correction, learning rate settable per update (linear annealing). Written out rather than taken from
 * tfjs so that its moments save and load with the network, synchronously.
 */
import type * as TF from '@tensorflow/tfjs';
import type { NamedArray } from './policy.ts';

export class Adam {
  learningRate: number;
  step = 0;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly m: TF.Variable[];
  private readonly v: TF.Variable[];

  constructor(
    private readonly tf: typeof TF,
    private readonly params: readonly TF.Variable[],
    options: { learningRate: number; beta1?: number; beta2?: number; epsilon?: number },
  ) {
    this.learningRate = options.learningRate;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-5;
    this.m = params.map((p) => tf.variable(tf.zerosLike(p), false));
    this.v = params.map((p) => tf.variable(tf.zerosLike(p), false));
  }

  /** One update with `grads` (same order as the parameters). */
  apply(grads: readonly TF.Tensor[]): void {
    const tf = this.tf;
    this.step++;
    const correction1 = 1 - this.beta1 ** this.step;
    const correction2 = 1 - this.beta2 ** this.step;
    const stepSize = this.learningRate / correction1;
    tf.tidy(() => {
      this.params.forEach((p, i) => {
        const m = tf.add(tf.mul(this.m[i], this.beta1), tf.mul(grads[i], 1 - this.beta1));
        const v = tf.add(tf.mul(this.v[i], this.beta2), tf.mul(tf.square(grads[i]), 1 - this.beta2));
        this.m[i].assign(m);
        this.v[i].assign(v);
        const denominator = tf.add(tf.sqrt(tf.div(v, correction2)), this.epsilon);
        p.assign(tf.sub(p, tf.mul(tf.div(m, denominator), stepSize)));
      });
    });
  }

  /** The moments, named after their parameters' positions. */
  getState(): { step: number; moments: NamedArray[] } {
    const moments: NamedArray[] = [];
    this.params.forEach((p, i) => {
      moments.push({ name: `m/${i}`, shape: [...p.shape], data: this.m[i].dataSync() as Float32Array });
      moments.push({ name: `v/${i}`, shape: [...p.shape], data: this.v[i].dataSync() as Float32Array });
    });
    return { step: this.step, moments };
  }

  setState(state: { step: number; moments: readonly NamedArray[] }): void {
    const byName = new Map(state.moments.map((m) => [m.name, m]));
    this.params.forEach((p, i) => {
      for (const [prefix, target] of [['m', this.m[i]], ['v', this.v[i]]] as const) {
        const saved = byName.get(`${prefix}/${i}`);
        if (!saved || saved.data.length !== p.size) throw new RangeError(`optimizer state ${prefix}/${i} is missing or has the wrong size`);
        target.assign(this.tf.tensor(saved.data, [...p.shape], 'float32'));
      }
    });
    this.step = state.step;
  }

  dispose(): void {
    for (const t of [...this.m, ...this.v]) t.dispose();
  }
}
