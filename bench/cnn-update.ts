/**
 * Time of one PPO minibatch update (forward, backward, Adam) on TensorFlow.js's wasm backend, batch 256: CleanRL's
 * 2×64 tanh MLP over 30 inputs, the small DQN-2013 CNN and the Nature CNN over 84×84×4 stacked gray frames. The MLP
 * runs first on the stock kernels, then everything with `registerWasmTrainingKernels`; the stock backend cannot
 * train a CNN at all, and the bench says so. The wasm backend computes on one thread, so on a busy machine the CPU
 * column is the one to compare.
 *
 * Run: node --import tsx bench/cnn-update.ts
 */
import * as tf from '@tensorflow/tfjs';
import { useWasmBackend } from '../lib/train/backend.ts';
import { registerWasmTrainingKernels } from '../lib/train/wasm-kernels.ts';

const BATCH = 256;
const ACTIONS = 9;
/** Warm-up and measured updates each run for at least this many updates and this long (tiny MLP updates need many
 * runs before V8 has compiled tfjs's op dispatch and the timings settle). */
const WARMUP = { updates: 2, ms: 1000 };
const MEASURED = { updates: 7, ms: 1000 };

interface Net {
  name: string;
  inputShape: number[];
  params: tf.Variable[];
  /** Action logits [B, ACTIONS] and value [B]. */
  forward(obs: tf.Tensor): { logits: tf.Tensor2D; value: tf.Tensor1D };
}

let seed = 1;

function weight(shape: number[], fanIn: number): tf.Variable {
  return tf.variable(tf.mul(tf.randomNormal(shape, 0, 1, 'float32', seed++), Math.sqrt(2 / fanIn)));
}

function denseLayer(inputs: number, units: number): [tf.Variable, tf.Variable] {
  return [weight([inputs, units], inputs), tf.variable(tf.zeros([units]))];
}

function dense(x: tf.Tensor, [w, b]: [tf.Variable, tf.Variable]): tf.Tensor2D {
  return tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b);
}

/** Separate actor and critic, each two tanh layers (CleanRL's ppo.py). */
function mlp(inputs: number, hidden: number): Net {
  const actor = [denseLayer(inputs, hidden), denseLayer(hidden, hidden), denseLayer(hidden, ACTIONS)];
  const critic = [denseLayer(inputs, hidden), denseLayer(hidden, hidden), denseLayer(hidden, 1)];
  const run = (layers: [tf.Variable, tf.Variable][], x: tf.Tensor): tf.Tensor2D =>
    layers.reduce((h, layer, i) => (i < layers.length - 1 ? tf.tanh(dense(h, layer)) : dense(h, layer)), x as tf.Tensor2D);
  return {
    name: `MLP 2×${hidden} tanh, ${inputs} inputs`,
    inputShape: [inputs],
    params: [...actor, ...critic].flat(),
    forward: (obs) => ({ logits: run(actor, obs), value: tf.reshape(run(critic, obs), [-1]) as tf.Tensor1D }),
  };
}

interface ConvSpec {
  filters: number;
  size: number;
  stride: number;
}

/** A ReLU conv trunk over [B, 84, 84, 4] frames scaled from 0-255, a dense layer, then actor and critic heads. */
function cnn(name: string, convs: ConvSpec[], hidden: number): Net {
  let [size, channels] = [84, 4];
  const convParams = convs.map((c) => {
    const layer: [tf.Variable, tf.Variable] = [weight([c.size, c.size, channels, c.filters], c.size * c.size * channels), tf.variable(tf.zeros([c.filters]))];
    size = Math.floor((size - c.size) / c.stride) + 1;
    channels = c.filters;
    return layer;
  });
  const flat = size * size * channels;
  const trunkDense = denseLayer(flat, hidden);
  const actor = denseLayer(hidden, ACTIONS);
  const critic = denseLayer(hidden, 1);
  return {
    name,
    inputShape: [84, 84, 4],
    params: [...convParams, trunkDense, actor, critic].flat(),
    forward: (obs) => {
      let h = tf.div(obs, 255) as tf.Tensor4D;
      convs.forEach((c, i) => {
        const [w, b] = convParams[i];
        h = tf.relu(tf.add(tf.conv2d(h, w as tf.Tensor4D, c.stride, 'valid'), b)) as tf.Tensor4D;
      });
      const features = tf.relu(dense(tf.reshape(h, [-1, flat]), trunkDense));
      return { logits: dense(features, actor), value: tf.reshape(dense(features, critic), [-1]) as tf.Tensor1D };
    },
  };
}

interface Minibatch {
  obs: tf.Tensor;
  actions: tf.Tensor1D;
  oldLogProb: tf.Tensor1D;
  advantages: tf.Tensor1D;
  returns: tf.Tensor1D;
}

function minibatch(net: Net): Minibatch {
  const pixels = net.inputShape.length === 3;
  return {
    // Image observations hold whole numbers 0-255, as uint8 frames would.
    obs: pixels
      ? tf.floor(tf.randomUniform([BATCH, ...net.inputShape], 0, 256, 'float32', 7))
      : tf.randomNormal([BATCH, ...net.inputShape], 0, 1, 'float32', 7),
    actions: tf.randomUniform([BATCH], 0, ACTIONS, 'int32', 8) as tf.Tensor1D,
    oldLogProb: tf.fill([BATCH], Math.log(1 / ACTIONS)) as tf.Tensor1D,
    advantages: tf.randomNormal([BATCH], 0, 1, 'float32', 9) as tf.Tensor1D,
    returns: tf.randomNormal([BATCH], 0, 1, 'float32', 10) as tf.Tensor1D,
  };
}

/** PPO's clipped surrogate + 0.5 · value loss − 0.01 · entropy (CleanRL's defaults). */
function ppoLoss(net: Net, mb: Minibatch): tf.Scalar {
  const { logits, value } = net.forward(mb.obs);
  const logProbs = tf.logSoftmax(logits);
  const logProb = tf.sum(tf.mul(logProbs, tf.oneHot(mb.actions, ACTIONS)), 1);
  const ratio = tf.exp(tf.sub(logProb, mb.oldLogProb));
  const surrogate = tf.minimum(tf.mul(ratio, mb.advantages), tf.mul(tf.clipByValue(ratio, 0.8, 1.2), mb.advantages));
  const policyLoss = tf.neg(tf.mean(surrogate));
  const valueLoss = tf.mean(tf.square(tf.sub(value, mb.returns)));
  const entropy = tf.mean(tf.neg(tf.sum(tf.mul(tf.exp(logProbs), logProbs), 1)));
  return tf.add(policyLoss, tf.sub(tf.mul(valueLoss, 0.5), tf.mul(entropy, 0.01))) as tf.Scalar;
}

interface Timing {
  runs: number;
  /** Median wall time, ms, and its range. */
  wall: number;
  min: number;
  max: number;
  /** Median CPU time of this process, ms: the wasm backend runs on one thread, so on an idle machine this is the
   * wall time, and on a busy one it is the less disturbed number. */
  cpu: number;
}

function timeUpdates(net: Net): Timing {
  const mb = minibatch(net);
  const optimizer = tf.train.adam(2.5e-4, 0.9, 0.999, 1e-5);
  const update = (): void => {
    const loss = optimizer.minimize(() => ppoLoss(net, mb), true, net.params);
    loss?.dataSync();
    loss?.dispose();
  };
  const wall: number[] = [];
  const cpu: number[] = [];
  const warmupStart = performance.now();
  for (let i = 0; i < WARMUP.updates || performance.now() - warmupStart < WARMUP.ms; i++) update();
  const measureStart = performance.now();
  while (wall.length < MEASURED.updates || performance.now() - measureStart < MEASURED.ms) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    update();
    const usedCpu = process.cpuUsage(startCpu);
    wall.push(performance.now() - start);
    cpu.push((usedCpu.user + usedCpu.system) / 1000);
  }
  optimizer.dispose();
  tf.dispose(Object.values(mb));
  const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
  const median = (xs: number[]): number => sorted(xs)[Math.floor(xs.length / 2)];
  return { runs: wall.length, wall: median(wall), min: sorted(wall)[0], max: sorted(wall)[wall.length - 1], cpu: median(cpu) };
}

function report(kernels: string, net: Net): void {
  const label = `${net.name.padEnd(48)} ${kernels.padEnd(6)}`;
  try {
    const t = timeUpdates(net);
    const ms = (x: number): string => x.toFixed(1).padStart(8);
    console.log(`${label} ${ms(t.wall)} ms wall (${t.min.toFixed(1)}–${t.max.toFixed(1)}) ${ms(t.cpu)} ms CPU  ${t.runs} runs`);
  } catch (error) {
    console.log(`${label} fails: ${(error as Error).message.split('\n')[0].slice(0, 100)}`);
  }
}

async function main(): Promise<void> {
  tf.enableProdMode();
  if (!(await useWasmBackend(tf))) throw new Error('the wasm backend did not start');
  const nets = [
    mlp(30, 64),
    cnn('small CNN (16·8×8/4, 32·4×4/2, 256)', [{ filters: 16, size: 8, stride: 4 }, { filters: 32, size: 4, stride: 2 }], 256),
    cnn(
      'Nature CNN (32·8×8/4, 64·4×4/2, 64·3×3/1, 512)',
      [
        { filters: 32, size: 8, stride: 4 },
        { filters: 64, size: 4, stride: 2 },
        { filters: 64, size: 3, stride: 1 },
      ],
      512,
    ),
  ];
  console.log(`PPO minibatch update (forward, backward, Adam) on tfjs wasm ${tf.version.tfjs}, batch ${BATCH}, medians after warm-up`);
  timeUpdates(nets[0]); // unreported: warms V8 up on tfjs's JS paths, which would otherwise count against 'stock'
  for (const net of nets.slice(0, 2)) report('stock', net);
  registerWasmTrainingKernels(tf);
  for (const net of nets) report('ours', net);
}

await main();
