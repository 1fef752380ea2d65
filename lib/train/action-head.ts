/**
 * The policy's action distribution for each action space `make()` gives: one categorical per dimension for
 * `Discrete` and `MultiDiscrete`, one Bernoulli per button for `MultiBinary`. The network emits one flat row of
 * logits per observation; this module says how wide it is and turns rows into actions (in JS, seeded, during
 * rollouts) and into log-probabilities and entropies (in tensors, during updates).
 */
import type * as TF from '@tensorflow/tfjs';
import { ArgumentError } from '../errors.ts';
import type { Rng } from '../rng.ts';
import { Dict, Discrete, MultiBinary, MultiDiscrete, type Space } from '../spaces/index.ts';
import type { StickAction } from '../env/pad-action.ts';

export type ActionHead =
  | { kind: 'categorical'; sizes: readonly number[]; logits: number; dims: number }
  | { kind: 'bernoulli'; logits: number; dims: number };

/** The head for an env's action space; other spaces can't be trained on and get a clear error. */
export function actionHeadFor(space: Space<unknown, unknown>): ActionHead {
  if (space instanceof Discrete) return { kind: 'categorical', sizes: [space.n], logits: space.n, dims: 1 };
  if (space instanceof MultiDiscrete) {
    const sizes = [...space.nvec];
    return { kind: 'categorical', sizes, logits: sizes.reduce((a, b) => a + b, 0), dims: sizes.length };
  }
  if (space instanceof MultiBinary) return { kind: 'bernoulli', logits: space.n, dims: space.n };
  if (space instanceof Dict) {
    throw new ArgumentError(
      'INVALID_ARGUMENT',
      'PPO here trains Discrete, MultiDiscrete and MultiBinary action spaces, not the Dict of a pad with a stick: ' +
        'give Discrete actions with --combos, the stick as STICK_LEFT, STICK_RIGHT, STICK_UP or STICK_DOWN with an ' +
        'optional amount (e.g. --combos A,A+STICK_LEFT:0.5,A+STICK_LEFT,A+STICK_RIGHT:0.5,A+STICK_RIGHT)',
    );
  }
  throw new ArgumentError('INVALID_ARGUMENT', `PPO here trains Discrete, MultiDiscrete and MultiBinary action spaces, not ${space.constructor.name}`);
}

/** The policy's action head and how one sampled row becomes the env's action. */
export interface ActionCodec {
  head: ActionHead;
  encode(row: Int32Array): number | Int32Array | Uint8Array | StickAction;
  /** What each discrete choice means, for printing (combos only). */
  names?: string[];
}

/** The codec for an env's own action space: Discrete → number, MultiDiscrete → Int32Array, MultiBinary → Uint8Array. */
export function spaceCodec(space: Space<unknown, unknown>): ActionCodec {
  const head = actionHeadFor(space);
  if (space instanceof Discrete) return { head, encode: (row) => row[0] };
  if (head.kind === 'bernoulli') return { head, encode: (row) => Uint8Array.from(row) };
  return { head, encode: (row) => Int32Array.from(row) };
}

/** `STICK_LEFT` or `STICK_LEFT:0.5`: player 1's first stick pushed that way, fully or by the amount. */
const STICK_TOKEN = /^STICK_(LEFT|RIGHT|UP|DOWN)(?::(\d*\.?\d+))?$/;

/**
 * A Discrete head over named button combos (like the `Discretizer` wrapper) for an env made with `Actions.ALL`:
 * `combos` such as `[['A'], ['A', 'LEFT'], ['A', 'RIGHT']]`, player 1's buttons; `[]` is "no button". On a pad
 * with a stick (`axes` > 0: the env's Dict action), a combo may also push the stick: `['A', 'STICK_LEFT:0.5']`.
 */
export function comboCodec(buttons: readonly (string | null)[], players: number, combos: readonly (readonly string[])[], axes = 0): ActionCodec {
  if (combos.length === 0) throw new ArgumentError('INVALID_ARGUMENT', '--combos needs at least one combo');
  const actions = combos.map((combo) => {
    const pressed = new Uint8Array(buttons.length * players);
    const stick = new Float32Array(axes);
    for (const name of combo) {
      const push = STICK_TOKEN.exec(name);
      if (push) {
        if (axes === 0) throw new ArgumentError('INVALID_ARGUMENT', `--combos: '${name}': this game's pad has no analog stick`);
        const amount = push[2] === undefined ? 1 : Number(push[2]);
        if (!(amount > 0 && amount <= 1)) throw new ArgumentError('INVALID_ARGUMENT', `--combos: '${name}': the amount must be in (0, 1]`);
        const [axis, sign] = ({ LEFT: [0, -1], RIGHT: [0, 1], UP: [1, 1], DOWN: [1, -1] } as const)[push[1] as 'LEFT'];
        stick[axis] = sign * amount;
        continue;
      }
      const index = buttons.indexOf(name);
      if (index < 0) throw new ArgumentError('INVALID_ARGUMENT', `--combos: no button '${name}' (buttons: ${buttons.filter((b) => b !== null).join(', ')})`);
      pressed[index] = 1;
    }
    return axes > 0 ? { buttons: pressed, stick } : pressed;
  });
  return {
    head: { kind: 'categorical', sizes: [combos.length], logits: combos.length, dims: 1 },
    encode: (row) => actions[row[0]],
    names: combos.map((c) => (c.length === 0 ? 'NOOP' : c.join('+'))),
  };
}

/** A uniformly random action of a codec's head, as the env takes it: the baseline a trained policy must beat. */
export function randomAction(codec: ActionCodec, rng: Rng): ReturnType<ActionCodec['encode']> {
  const { head } = codec;
  return codec.encode(Int32Array.from({ length: head.dims }, (_, d) => rng.integer(head.kind === 'bernoulli' ? 2 : head.sizes[d])));
}

const softplus = (z: number) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));

/**
 * Picks actions for `rows` logit rows into `actions` (rows × dims) and returns their log-probabilities. With
 * `deterministic`, each dimension takes its most likely value (evaluation); otherwise it samples from `rng`.
 */
export function sampleActions(
  head: ActionHead,
  logits: Float32Array,
  rows: number,
  rng: Rng | undefined,
  actions: Int32Array,
  deterministic = false,
): Float64Array {
  const logProbs = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const row = r * head.logits;
    let logProb = 0;
    if (head.kind === 'bernoulli') {
      for (let d = 0; d < head.dims; d++) {
        const z = logits[row + d];
        const pressed = deterministic ? z > 0 : rng!.nextFloat() < 1 / (1 + Math.exp(-z));
        actions[r * head.dims + d] = pressed ? 1 : 0;
        logProb -= softplus(pressed ? -z : z);
      }
    } else {
      let offset = row;
      head.sizes.forEach((n, d) => {
        let max = -Infinity;
        for (let k = 0; k < n; k++) max = Math.max(max, logits[offset + k]);
        let sum = 0;
        for (let k = 0; k < n; k++) sum += Math.exp(logits[offset + k] - max);
        let choice = 0;
        if (deterministic) {
          for (let k = 1; k < n; k++) if (logits[offset + k] > logits[offset + choice]) choice = k;
        } else {
          let u = rng!.nextFloat() * sum;
          choice = n - 1;
          for (let k = 0; k < n; k++) {
            u -= Math.exp(logits[offset + k] - max);
            if (u < 0) {
              choice = k;
              break;
            }
          }
        }
        actions[r * head.dims + d] = choice;
        logProb += logits[offset + choice] - max - Math.log(sum);
        offset += n;
      });
    }
    logProbs[r] = logProb;
  }
  return logProbs;
}

/** Log-probability [B] of `actions` [B, dims] (int32) under `logits` [B, logits]. */
export function logProbOf(tf: typeof TF, head: ActionHead, logits: TF.Tensor2D, actions: TF.Tensor2D): TF.Tensor1D {
  if (head.kind === 'bernoulli') {
    const taken = tf.cast(actions, 'float32');
    const onLogProb = tf.neg(tf.softplus(tf.neg(logits)));
    const offLogProb = tf.neg(tf.softplus(logits));
    return tf.sum(tf.add(tf.mul(taken, onLogProb), tf.mul(tf.sub(1, taken), offLogProb)), 1);
  }
  const parts = splitLogits(tf, head, logits).map((segment, d) => {
    const logp = tf.logSoftmax(segment);
    const chosen = tf.oneHot(tf.reshape(tf.slice(actions, [0, d], [-1, 1]), [-1]), head.sizes[d]);
    return tf.sum(tf.mul(logp, chosen), 1);
  });
  return parts.length === 1 ? (parts[0] as TF.Tensor1D) : (tf.addN(parts) as TF.Tensor1D);
}

/** Entropy [B] of the distribution `logits` [B, logits] describes (summed over dimensions). */
export function entropyOf(tf: typeof TF, head: ActionHead, logits: TF.Tensor2D): TF.Tensor1D {
  if (head.kind === 'bernoulli') {
    const p = tf.sigmoid(logits);
    return tf.sum(tf.add(tf.mul(p, tf.softplus(tf.neg(logits))), tf.mul(tf.sub(1, p), tf.softplus(logits))), 1);
  }
  const parts = splitLogits(tf, head, logits).map((segment) => {
    const logp = tf.logSoftmax(segment);
    return tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), 1));
  });
  return parts.length === 1 ? (parts[0] as TF.Tensor1D) : (tf.addN(parts) as TF.Tensor1D);
}

function splitLogits(tf: typeof TF, head: Extract<ActionHead, { kind: 'categorical' }>, logits: TF.Tensor2D): TF.Tensor2D[] {
  if (head.sizes.length === 1) return [logits];
  return tf.split(logits, [...head.sizes], 1) as TF.Tensor2D[];
}
