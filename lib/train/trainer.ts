/**
 * The PPO loop: collect `numSteps` steps from every env with the current policy (one batched forward pass per
 * step), compute GAE targets, run the update, log, checkpoint. CleanRL's `ppo.py` is the reference for every
 * detail; `config.ts` lists the settings.
 */
import { hostname } from 'node:os';
import { Rng, type RngState } from '../rng.ts';
import type { BatchEnv } from '../vector/batch-env.ts';
import type { ActionCodec, ActionHead } from './action-head.ts';
import { Adam } from './adam.ts';
import type { Agent } from './agent.ts';
import { loadTensorFlow, type TfRuntime } from './backend.ts';
import { readCheckpoint, writeCheckpoint, type CheckpointData, type CheckpointMeta } from './checkpoint.ts';
import type { TrainConfig } from './config.ts';
import { EpisodeTracker, meanOf, type Episode } from './episodes.ts';
import { computeGae } from './gae.ts';
import type { PolicySpec } from './policy.ts';
import { RolloutBuffer } from './rollout-buffer.ts';
import { RewardNormalizer, type RunningMeanStdState } from './running-stats.ts';
import { RunDir } from './run-dir.ts';
import { actionCodecFor, makeAgent, makeEnvs, ObservationReader } from './setup.ts';
import { playEpisode, type Player } from './evaluate.ts';
import { ppoUpdate, type UpdateSettings, type UpdateStats } from './update.ts';

/** RAM variables reported per episode when the game has them. */
const EPISODE_VARIABLES = ['lap', 'progress', 'finished', 'score', 'level'];

export interface TrainEvents {
  /** A line worth keeping (start banner, checkpoints, the end). */
  log(line: string): void;
  /** The live status, replaced by the next one. */
  progress(status: TrainStatus): void;
  /** Each update's metrics record, as appended to metrics.jsonl. */
  metrics?(record: Record<string, number | null>): void;
}

export interface TrainStatus {
  update: number;
  updates: number;
  globalStep: number;
  totalTimesteps: number;
  sps: number;
  episodes: number;
  recentReturn: number | null;
  recentLength: number | null;
  recentInfo: Record<string, number | null>;
  stats?: UpdateStats;
  /** The latest deterministic evaluation episode (`eval_return`, `eval_length`, `eval_lap`, ...). */
  evaluation?: Record<string, number>;
  secondsLeft: number;
}

export interface TrainResult {
  runDir: RunDir;
  checkpoint: string;
  globalStep: number;
  update: number;
  episodes: number;
  stopped: boolean;
  backend: string;
  /** Time spent in each phase, over the whole run (this process). */
  seconds: { env: number; inference: number; learning: number; evaluation: number; total: number };
}

export interface TrainOptions {
  runDir: string;
  events: TrainEvents;
  /** Checked after every env step; when true, the run saves a checkpoint and returns. */
  shouldStop?: () => boolean;
  runtime?: TfRuntime;
  /** The checkpoint `config.resume` names, when the caller has read it already. */
  resumeFrom?: CheckpointData<CheckpointMeta>;
}

export async function train(config: TrainConfig, options: TrainOptions): Promise<TrainResult> {
  const runtime = options.runtime ?? (await loadTensorFlow(config.backend));
  const trainer = new Trainer(config, runtime, options);
  try {
    return await trainer.run();
  } finally {
    trainer.dispose();
  }
}

class Trainer {
  private readonly tf: TfRuntime['tf'];
  private readonly envs: BatchEnv;
  private readonly reader: ObservationReader;
  private readonly agent: Agent;
  private readonly codec: ActionCodec;
  private readonly optimizer: Adam;
  private readonly buffer: RolloutBuffer;
  private readonly rewardNormalizer?: RewardNormalizer;
  private readonly tracker: EpisodeTracker;
  private readonly runDir: RunDir;
  private readonly sampling: Rng;
  private readonly shuffling: Rng;
  private readonly numUpdates: number;
  private readonly episodeVariables: string[];
  private update = 0;
  private globalStep = 0;
  private elapsedBefore = 0;
  private readonly seconds = { env: 0, inference: 0, learning: 0, evaluation: 0, total: 0 };
  private lastCheckpoint = '';
  private lastEvaluation?: Record<string, number>;
  /** A one-env batch for the periodic deterministic episodes (`evalEvery`). */
  private readonly evaluator?: Player;

  constructor(
    private readonly config: TrainConfig,
    private readonly runtime: TfRuntime,
    private readonly options: TrainOptions,
  ) {
    this.tf = runtime.tf;
    this.runDir = new RunDir(options.runDir);
    this.envs = makeEnvs(config, config.numEnvs);
    try {
      this.reader = new ObservationReader(config, this.envs);
      this.codec = actionCodecFor(config, this.envs);
      this.agent = makeAgent(this.tf, config, this.reader, this.codec.head);
      this.optimizer = new Adam(this.tf, this.agent.policy.variables, { learningRate: config.learningRate, epsilon: 1e-5 });
      this.buffer = new RolloutBuffer(config.numSteps, config.numEnvs, this.agent.observationSize, this.agent.head.dims, config.policy === 'mlp' ? 'float32' : 'uint8');
      if (config.normReward) this.rewardNormalizer = new RewardNormalizer(config.numEnvs, config.gamma);
      this.episodeVariables = EPISODE_VARIABLES.filter((name) => this.envs.variableNames.includes(name));
      this.tracker = new EpisodeTracker(config.numEnvs, this.episodeVariables);
      const seeds = Rng.fromSeed(config.seed);
      this.sampling = seeds.fork();
      this.shuffling = seeds.fork();
      this.numUpdates = Math.floor(config.totalTimesteps / (config.numEnvs * config.numSteps));
      if (options.resumeFrom) this.restore(options.resumeFrom);
      else if (config.resume) this.restore(readCheckpoint<CheckpointMeta>(config.resume));
      if (config.evalEvery > 0) {
        const envs = makeEnvs(config, 1, 'next-step');
        this.evaluator = { agent: this.agent, envs, reader: new ObservationReader(config, envs), codec: actionCodecFor(config, envs) };
      }
    } catch (error) {
      // Whatever was made before the failure is released here: nobody else holds it yet.
      this.dispose();
      throw error;
    }
  }

  /** One deterministic episode with the current policy, seen through the training observation statistics. */
  private evaluateNow(): Record<string, number> {
    const player = this.evaluator!;
    const stats = this.reader.normalizer?.stats.state;
    if (stats) player.reader.normalizer!.stats.setState(stats);
    const clock = performance.now();
    const episode = playEpisode(player, { deterministic: true, rng: this.sampling.clone(), maxSteps: this.config.maxEpisodeSteps || 20_000 });
    this.seconds.evaluation += (performance.now() - clock) / 1000;
    const record: Record<string, number> = { eval_return: round(episode.return, 4), eval_length: episode.length };
    for (const name of this.episodeVariables) record[`eval_${name}`] = episode.info[name];
    return record;
  }

  private restore({ meta, arrays }: CheckpointData<CheckpointMeta>): void {
    this.agent.policy.setWeights(arrays.filter((a) => !a.name.startsWith('adam/')));
    this.optimizer.setState({
      step: meta.optimizerStep,
      moments: arrays.filter((a) => a.name.startsWith('adam/')).map((a) => ({ ...a, name: a.name.slice(5) })),
    });
    if (meta.obsStats) this.reader.normalizer?.stats.setState(meta.obsStats);
    if (meta.rewardStats) this.rewardNormalizer?.stats.setState(meta.rewardStats);
    this.sampling.setState(meta.rng.sampling);
    this.shuffling.setState(meta.rng.shuffling);
    this.update = meta.update;
    this.globalStep = meta.globalStep;
    this.tracker.total = meta.episodes;
    this.elapsedBefore = meta.elapsedSeconds;
  }

  async run(): Promise<TrainResult> {
    const { config, envs } = this;
    const n = config.numEnvs;
    const started = performance.now();
    this.runDir.writeJson('config.json', { ...config, backend: this.runtime.backend, host: hostname(), updates: this.numUpdates });
    envs.reset();
    let restarted: Uint8Array = new Uint8Array(n).fill(1);
    this.reader.read(restarted, true);
    let stopped = false;
    const shouldStop = this.options.shouldStop ?? (() => false);

    while (this.update < this.numUpdates && !stopped) {
      const updateStarted = performance.now();
      const stepsBefore = this.globalStep;
      if (config.annealLr) this.optimizer.learningRate = config.learningRate * (1 - this.update / this.numUpdates);
      let collected = 0;
      for (let t = 0; t < config.numSteps; t++) {
        restarted = this.collectStep(t, restarted);
        collected++;
        if (shouldStop()) {
          stopped = true;
          break;
        }
      }
      if (collected < config.numSteps) break; // a partial rollout is not learned from

      const learnStarted = performance.now();
      const next = this.agent.evaluate(this.reader.current, n);
      const targets = computeGae({
        numSteps: config.numSteps,
        numEnvs: n,
        rewards: this.buffer.rewards,
        values: this.buffer.values,
        episodeStarts: this.buffer.episodeStarts,
        nextValues: next.values,
        nextEpisodeStarts: restarted,
        gamma: config.gamma,
        lambda: config.gaeLambda,
      });
      const stats = ppoUpdate(this.agent, this.optimizer, this.buffer, targets, updateSettings(config), this.shuffling);
      this.seconds.learning += (performance.now() - learnStarted) / 1000;
      this.update++;
      const updateSeconds = (performance.now() - updateStarted) / 1000;
      const evaluation = this.evaluator && this.update % config.evalEvery === 0 ? this.evaluateNow() : {};
      this.report(stats, (this.globalStep - stepsBefore) / updateSeconds, started, evaluation);
      if (this.update % config.checkpointEvery === 0 || this.update === this.numUpdates) this.saveCheckpoint(started);
      await new Promise((resolve) => setImmediate(resolve)); // let Ctrl-C and other events through
      if (shouldStop()) stopped = true;
    }
    if (stopped || !this.lastCheckpoint) this.saveCheckpoint(started);
    this.seconds.total = (performance.now() - started) / 1000;
    return {
      runDir: this.runDir,
      checkpoint: this.lastCheckpoint,
      globalStep: this.globalStep,
      update: this.update,
      episodes: this.tracker.total,
      stopped,
      backend: this.runtime.backend,
      seconds: { ...this.seconds },
    };
  }

  /** One step of every env: act, step, book rewards and episode ends, read the next observations. */
  private collectStep(t: number, restarted: Uint8Array): Uint8Array {
    const { config, envs, agent } = this;
    const n = config.numEnvs;
    let clock = performance.now();
    const act = agent.act(this.reader.current, n, this.sampling);
    this.buffer.record(t, { observations: this.reader.current, episodeStarts: restarted, actions: act.actions, logProbs: act.logProbs, values: act.values });
    const dims = agent.head.dims;
    const actions = Array.from({ length: n }, (_, e) => this.codec.encode(act.actions.subarray(e * dims, (e + 1) * dims)));
    this.seconds.inference += (performance.now() - clock) / 1000;

    clock = performance.now();
    const result = envs.step(actions);
    this.seconds.env += (performance.now() - clock) / 1000;

    const ended = new Uint8Array(n);
    const truncated: number[] = [];
    const vars = envs.variableNames.length;
    for (let e = 0; e < n; e++) {
      const terminated = result.terminations[e] === 1;
      const timeUp = !terminated && config.maxEpisodeSteps > 0 && this.tracker.lengthOf(e) + 1 >= config.maxEpisodeSteps;
      if (timeUp) truncated.push(e);
      ended[e] = terminated || timeUp ? 1 : 0;
      const source = terminated ? envs.finalValues! : envs.values;
      this.tracker.step(e, result.rewards[e], ended[e] === 1, (name) => source[e * vars + envs.variableNames.indexOf(name)]);
    }
    const rewards = this.rewardNormalizer ? this.rewardNormalizer.normalize(result.rewards, ended) : Float32Array.from(result.rewards);
    if (truncated.length > 0) {
      // A time limit is not the game's end: bootstrap from the value of where the episode was cut, then restart it.
      clock = performance.now();
      this.reader.read(new Uint8Array(n), false);
      const cut = agent.evaluate(this.reader.current, n).values;
      for (const e of truncated) rewards[e] += config.gamma * cut[e];
      this.seconds.inference += (performance.now() - clock) / 1000;
      clock = performance.now();
      envs.reset({ envIds: truncated });
      this.seconds.env += (performance.now() - clock) / 1000;
    }
    this.buffer.rewards.set(rewards, t * n);
    this.reader.read(ended, true);
    this.globalStep += n;
    return ended;
  }

  private report(stats: UpdateStats, sps: number, started: number, evaluation: Record<string, number>): void {
    const finished: Episode[] = this.tracker.drain();
    const elapsed = this.elapsedBefore + (performance.now() - started) / 1000;
    const record: Record<string, number | null> = {
      update: this.update,
      global_step: this.globalStep,
      time_s: round(elapsed, 3),
      sps: round(sps, 1),
      episodes: this.tracker.total,
      episodes_this_update: finished.length,
      episode_return_mean: roundOrNull(meanOf(finished, (e) => e.return)),
      episode_length_mean: roundOrNull(meanOf(finished, (e) => e.length)),
    };
    for (const name of this.episodeVariables) record[`episode_${name}_mean`] = roundOrNull(meanOf(finished, (e) => e.info[name]));
    Object.assign(record, {
      learning_rate: this.optimizer.learningRate,
      policy_loss: round(stats.policyLoss, 6),
      value_loss: round(stats.valueLoss, 6),
      entropy: round(stats.entropy, 6),
      approx_kl: round(stats.approxKl, 6),
      clip_fraction: round(stats.clipFraction, 6),
      grad_norm: round(stats.gradNorm, 6),
      explained_variance: Number.isFinite(stats.explainedVariance) ? round(stats.explainedVariance, 6) : null,
      env_s: round(this.seconds.env, 3),
      inference_s: round(this.seconds.inference, 3),
      learn_s: round(this.seconds.learning, 3),
      eval_s: round(this.seconds.evaluation, 3),
      ...evaluation,
    });
    if (Object.keys(evaluation).length > 0) this.lastEvaluation = evaluation;
    this.runDir.appendMetrics(record);
    this.options.events.metrics?.(record);
    const recent = this.tracker.recent;
    const recentInfo: Record<string, number | null> = {};
    for (const name of this.episodeVariables) recentInfo[name] = meanOf(recent, (e) => e.info[name]);
    const stepsLeft = (this.numUpdates - this.update) * this.config.numEnvs * this.config.numSteps;
    this.options.events.progress({
      update: this.update,
      updates: this.numUpdates,
      globalStep: this.globalStep,
      totalTimesteps: this.numUpdates * this.config.numEnvs * this.config.numSteps,
      sps,
      episodes: this.tracker.total,
      recentReturn: meanOf(recent, (e) => e.return),
      recentLength: meanOf(recent, (e) => e.length),
      recentInfo,
      stats,
      evaluation: this.lastEvaluation,
      secondsLeft: sps > 0 ? stepsLeft / sps : 0,
    });
  }

  private saveCheckpoint(started: number): void {
    const path = this.runDir.checkpointPath(this.update);
    const optimizerState = this.optimizer.getState();
    const meta: CheckpointMeta = {
      format: 1,
      config: this.config,
      update: this.update,
      globalStep: this.globalStep,
      episodes: this.tracker.total,
      elapsedSeconds: this.elapsedBefore + (performance.now() - started) / 1000,
      backend: this.runtime.backend,
      policy: this.agent.spec,
      actionHead: this.agent.head,
      obsVariables: this.reader.features?.names,
      obsStats: this.reader.normalizer?.stats.state,
      rewardStats: this.rewardNormalizer?.stats.state,
      optimizerStep: optimizerState.step,
      rng: { sampling: this.sampling.state, shuffling: this.shuffling.state },
    };
    writeCheckpoint(path, {
      meta,
      arrays: [...this.agent.policy.getWeights(), ...optimizerState.moments.map((m) => ({ ...m, name: `adam/${m.name}` }))],
    });
    this.runDir.prune(this.config.keepCheckpoints);
    this.lastCheckpoint = path;
    this.options.events.log(`checkpoint: ${path}`);
  }

  /** Safe on a partly built trainer: the constructor calls it when it fails half-way. */
  dispose(): void {
    this.optimizer?.dispose();
    this.agent?.dispose();
    this.envs.close();
    this.evaluator?.envs.close();
  }
}

function updateSettings(c: TrainConfig): UpdateSettings {
  return {
    clipCoef: c.clipCoef,
    clipValueLoss: c.clipVloss,
    entCoef: c.entCoef,
    vfCoef: c.vfCoef,
    normAdvantages: c.normAdv,
    numMinibatches: c.numMinibatches,
    updateEpochs: c.updateEpochs,
    maxGradNorm: c.maxGradNorm,
    targetKl: c.targetKl,
  };
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));
const roundOrNull = (x: number | null) => (x === null ? null : round(x, 4));
