import type { EnvStepResult, ResetResult } from '../env/env.ts';
import { checkPositiveInteger } from './checks.ts';
import { Wrapper, type AnyEnv, type ObservationOf, type ResetArgs, type StepActionOf } from './wrapper.ts';

export interface RecordEpisodeStatisticsOptions {
  /** How many finished episodes `returnQueue` and `lengthQueue` keep. Default 100. */
  bufferLength?: number;
}

/**
 * Tracks each episode's return (sum of rewards) and length (steps), as Gymnasium's `RecordEpisodeStatistics`: the
 * step that ends an episode (terminated or truncated) carries `info.episode_return` and `info.episode_length`, and
 * the last `bufferLength` episodes stay in `returnQueue` / `lengthQueue`. Put it outside reward-changing wrappers
 * such as `ClipReward` to record the game's own score. Spaces are unchanged.
 *
 * @example
 * ```ts
 * const env = new RecordEpisodeStatistics(make('TinyKart-Nes'));
 * env.reset();
 * const { terminated, truncated, info } = env.step(action);
 * if (terminated || truncated) console.log(info.episode_return, info.episode_length);
 * ```
 */
export class RecordEpisodeStatistics<E extends AnyEnv> extends Wrapper<E> {
  readonly bufferLength: number;
  /** Return and length of the episode under way. */
  episodeReturn = 0;
  episodeLength = 0;
  /** Returns and lengths of the last finished episodes, oldest first. */
  readonly returnQueue: number[] = [];
  readonly lengthQueue: number[] = [];

  constructor(env: E, options: RecordEpisodeStatisticsOptions = {}) {
    super(env);
    this.bufferLength = checkPositiveInteger(options.bufferLength ?? 100, 'bufferLength');
  }

  override reset(args?: ResetArgs): ResetResult<ObservationOf<E>> {
    const result = this.env.reset(args);
    this.episodeReturn = 0;
    this.episodeLength = 0;
    return result;
  }

  override step(action: StepActionOf<E>): EnvStepResult<ObservationOf<E>> {
    const { observation, reward, terminated, truncated, info } = this.env.step(action);
    this.episodeReturn += reward;
    this.episodeLength++;
    if (!terminated && !truncated) return { observation, reward, terminated, truncated, info };
    for (const [queue, value] of [[this.returnQueue, this.episodeReturn], [this.lengthQueue, this.episodeLength]] as const) {
      queue.push(value);
      if (queue.length > this.bufferLength) queue.shift();
    }
    return { observation, reward, terminated, truncated, info: { ...info, episode_return: this.episodeReturn, episode_length: this.episodeLength } };
  }
}
