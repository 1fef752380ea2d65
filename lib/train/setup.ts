/**
 * Builds what training and evaluation share from a config: the batch of envs, how observations are read from it,
 * and the agent's network spec, so that a checkpoint is always evaluated on exactly the observations it learned on.
 */
import type * as TF from '@tensorflow/tfjs';
import { Actions } from '../env/action-codec.ts';
import { BatchEnv, type BatchEnvOptions } from '../vector/batch-env.ts';
import { comboCodec, spaceCodec, type ActionCodec, type ActionHead } from './action-head.ts';
import { Agent } from './agent.ts';
import type { TrainConfig } from './config.ts';
import { FrameStacker, RamFeatures } from './observations.ts';
import { ObservationNormalizer } from './running-stats.ts';
import type { PolicySpec } from './policy.ts';

const ACTIONS = { discrete: Actions.DISCRETE, 'multi-discrete': Actions.MULTI_DISCRETE, filtered: Actions.FILTERED, all: Actions.ALL, combos: Actions.ALL } as const;
const FRAME_SIZE = 84;

/**
 * The envs of a run. An mlp policy's envs draw no pictures where the core can skip them (the N64), unless
 * `pictures` asks for them (evaluation GIFs); `render()` of `envs[e]` then gives each one's RGB picture.
 */
export function makeEnvs(config: TrainConfig, numEnvs: number, autoreset: BatchEnvOptions['autoreset'] = 'same-step', pictures = false): BatchEnv {
  const pixels = config.policy === 'cnn';
  return new BatchEnv(config.game, {
    numEnvs,
    threads: config.threads,
    state: config.state,
    scenario: config.scenario,
    useRestrictedActions: ACTIONS[config.actions],
    frameskip: config.frameskip,
    maxPool: pixels && config.frameskip > 1,
    autoreset,
    // An mlp reads RAM only: cores that can skip drawing do, and a 1×1 picture keeps our pixel work to a minimum.
    preprocess: pixels ? { grayscale: true, width: FRAME_SIZE, height: FRAME_SIZE } : { grayscale: true, width: 1, height: 1 },
    video: pixels || pictures,
  });
}

/**
 * Turns a batch's buffers into the policy's observations: normalised RAM variables (mlp) or stacked frames (cnn).
 * `current` holds the newest observation of every env.
 */
export class ObservationReader {
  readonly current: Float32Array | Uint8Array;
  readonly features?: RamFeatures;
  readonly normalizer?: ObservationNormalizer;
  private readonly stacker?: FrameStacker;

  constructor(
    readonly config: TrainConfig,
    readonly envs: BatchEnv,
  ) {
    if (config.policy === 'mlp') {
      this.features = new RamFeatures(envs.variableNames, config.obsVariables);
      if (config.normObs) this.normalizer = new ObservationNormalizer(this.features.size);
      this.current = new Float32Array(envs.numEnvs * this.features.size);
    } else {
      this.stacker = new FrameStacker(envs.numEnvs, FRAME_SIZE * FRAME_SIZE, config.frameStack);
      this.current = this.stacker.stacks;
    }
  }

  get inputShape(): number[] {
    return this.features ? [this.features.size] : [FRAME_SIZE, FRAME_SIZE, this.config.frameStack];
  }

  /** Reads every env's newest observation; `restarted[e]` = 1 where env e just began an episode. */
  read(restarted: ArrayLike<number>, learn: boolean): void {
    if (this.features) {
      const rows = this.current as Float32Array;
      this.features.read(this.envs.values, this.envs.numEnvs, rows);
      this.normalizer?.normalize(rows, this.envs.numEnvs, learn);
      return;
    }
    this.stacker!.push(this.envs.observations, restarted);
  }

  /** The mlp features of each env's last episode end (from `finalValues`), normalised without learning. */
  finalFeatures(): Float32Array {
    const rows = new Float32Array(this.current.length);
    this.features!.read(this.envs.finalValues!, this.envs.numEnvs, rows);
    this.normalizer?.normalize(rows, this.envs.numEnvs, false);
    return rows;
  }
}

export function makeAgent(tf: typeof TF, config: TrainConfig, reader: ObservationReader, head: ActionHead): Agent {
  const spec: PolicySpec = { kind: config.policy, inputShape: reader.inputShape, logits: head.logits, hidden: config.hidden, cnn: config.cnn };
  return new Agent(tf, spec, head, config.seed);
}

/** How the policy's sampled rows become the envs' actions. */
export function actionCodecFor(config: TrainConfig, envs: BatchEnv): ActionCodec {
  if (config.actions === 'combos') {
    const [env] = envs.envs;
    const axes = env.analog ? 2 * env.players * env.emulator.sticks : 0;
    return comboCodec(env.buttons, env.players, config.combos ?? [], axes);
  }
  return spaceCodec(envs.singleActionSpace as Parameters<typeof spaceCodec>[0]);
}
