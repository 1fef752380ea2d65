/**
 * Plays a checkpoint's policy: deterministic by default (each action dimension takes its most likely value), on the
 * same observations it was trained on, optionally recorded to a GIF. `retro eval` and the end of `retro train`.
 */
import { GifRecorder } from '../media/gif.ts';
import { Rng } from '../rng.ts';
import { loadTensorFlow, type BackendChoice } from './backend.ts';
import { readCheckpoint, type CheckpointMeta } from './checkpoint.ts';
import type { BatchEnv } from '../vector/batch-env.ts';
import type { ActionCodec } from './action-head.ts';
import type { Agent } from './agent.ts';
import type { Episode } from './episodes.ts';
import { actionCodecFor, makeAgent, makeEnvs, ObservationReader } from './setup.ts';


export interface EvalOptions {
  episodes: number;
  /** Write the episodes, one after the other, to this GIF. */
  gif?: string;
  /** Sample from the policy instead of taking its most likely action (seeded). */
  stochastic?: boolean;
  seed?: number;
  /** Give up on an episode after this many steps (default: the run's limit, else 20,000). */
  maxSteps?: number;
  backend?: BackendChoice;
  /** Keep every n-th step in the GIF (default 1); the GIF still plays at game speed. */
  gifEvery?: number;
  onEpisode?: (episode: Episode, index: number) => void;
}

export interface EvalResult {
  episodes: Episode[];
  meanReturn: number;
  gifFrames: number;
  meta: CheckpointMeta;
}

/** What playing an episode needs: a policy, a one-env batch (next-step autoreset) and how to read and act on it. */
export interface Player {
  agent: Agent;
  envs: BatchEnv;
  reader: ObservationReader;
  codec: ActionCodec;
}

/**
 * Plays one episode from the start state with env 0 of `envs`: to its end or `maxSteps`. `onStep(length, last)`
 * runs after the reset (length 0) and after every step, e.g. to grab a frame.
 */
export function playEpisode(
  { agent, envs, reader, codec }: Player,
  options: { deterministic: boolean; rng: Rng; maxSteps: number; onStep?: (length: number, last: boolean) => void },
): Episode {
  envs.reset();
  reader.read([1], false);
  options.onStep?.(0, false);
  let total = 0;
  let length = 0;
  let terminated = false;
  while (!terminated && length < options.maxSteps) {
    const act = agent.act(reader.current, 1, options.rng, options.deterministic);
    const result = envs.step([codec.encode(act.actions)]);
    total += result.rewards[0];
    length++;
    terminated = result.terminations[0] === 1;
    reader.read([0], false);
    options.onStep?.(length, terminated || length === options.maxSteps);
  }
  const info = Object.fromEntries(envs.variableNames.map((name, v) => [name, envs.values[v]]));
  return { return: total, length, info };
}

export async function evaluate(checkpointPath: string, options: EvalOptions): Promise<EvalResult> {
  const { meta, arrays } = readCheckpoint<CheckpointMeta>(checkpointPath);
  const { tf } = await loadTensorFlow(options.backend ?? 'auto');
  const config = { ...meta.config, obsVariables: meta.obsVariables ?? meta.config.obsVariables };
  // next-step autoreset: the env stays on an episode's last frame and values until we reset it ourselves.
  const envs = makeEnvs(config, 1, 'next-step', options.gif !== undefined);
  const reader = new ObservationReader(config, envs);
  const codec = actionCodecFor(config, envs);
  const agent = makeAgent(tf, config, reader, codec.head);
  try {
    agent.policy.setWeights(arrays.filter((a) => !a.name.startsWith('adam/')));
    if (meta.obsStats) reader.normalizer?.stats.setState(meta.obsStats);
    const rng = Rng.fromSeed(options.seed ?? config.seed);
    const gif = options.gif ? new GifRecorder({ fps: Math.round(60 / config.frameskip / (options.gifEvery ?? 1)) }) : undefined;
    const every = options.gifEvery ?? 1;
    const maxSteps = options.maxSteps ?? (config.maxEpisodeSteps || 20_000);
    const [height, width] = envs.envs[0].observationSpace.shape!;
    const addFrame = () => gif?.addFrame({ data: envs.envs[0].render(), width, height });
    const episodes: Episode[] = [];
    for (let i = 0; i < options.episodes; i++) {
      const episode = playEpisode({ agent, envs, reader, codec }, { deterministic: !options.stochastic, rng, maxSteps, onStep: (length, last) => (length % every === 0 || last) && addFrame() });
      episodes.push(episode);
      options.onEpisode?.(episode, i);
    }
    if (gif && options.gif) gif.save(options.gif);
    return { episodes, meanReturn: episodes.reduce((s, e) => s + e.return, 0) / Math.max(1, episodes.length), gifFrames: gif?.frameCount ?? 0, meta };
  } finally {
    agent.dispose();
    envs.close();
  }
}
