/**
 * Per-env episode bookkeeping in the game's own units (unscaled rewards): running return and length, and for each
 * finished episode its return, length and the final value of a few RAM variables worth reporting (e.g. `lap`).
 */
export interface Episode {
  return: number;
  length: number;
  /** Final values of the tracked RAM variables. */
  info: Record<string, number>;
}

export class EpisodeTracker {
  private readonly returns: Float64Array;
  private readonly lengths: Uint32Array;
  /** Episodes finished since the last `drain()`. */
  private finished: Episode[] = [];
  /** The most recent episodes, for smoothed progress figures. */
  readonly recent: Episode[] = [];
  total = 0;

  constructor(
    numEnvs: number,
    readonly tracked: readonly string[],
    private readonly window = 32,
  ) {
    this.returns = new Float64Array(numEnvs);
    this.lengths = new Uint32Array(numEnvs);
  }

  lengthOf(env: number): number {
    return this.lengths[env];
  }

  /** Adds one step's reward; when `ended`, closes the episode with `finalInfo` (the variables at its end). */
  step(env: number, reward: number, ended: boolean, finalInfo: (name: string) => number): void {
    this.returns[env] += reward;
    this.lengths[env]++;
    if (!ended) return;
    const info: Record<string, number> = {};
    for (const name of this.tracked) info[name] = finalInfo(name);
    const episode = { return: this.returns[env], length: this.lengths[env], info };
    this.finished.push(episode);
    this.recent.push(episode);
    if (this.recent.length > this.window) this.recent.shift();
    this.total++;
    this.returns[env] = 0;
    this.lengths[env] = 0;
  }

  /** The episodes finished since the last call. */
  drain(): Episode[] {
    const out = this.finished;
    this.finished = [];
    return out;
  }
}

/** Mean of a field over episodes, or null when there are none (metrics.jsonl's convention). */
export function meanOf(episodes: readonly Episode[], pick: (e: Episode) => number): number | null {
  if (episodes.length === 0) return null;
  return episodes.reduce((sum, e) => sum + pick(e), 0) / episodes.length;
}
