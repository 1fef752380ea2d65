/**
 * Generalised advantage estimation (Schulman et al. 2016) over a rollout stored step-major: index `t * numEnvs + e`
 * holds env `e` at step `t`. Plain arrays, no tensors: it runs once per rollout on a few thousand numbers.
 */

export interface GaeInput {
  numSteps: number;
  numEnvs: number;
  /** Reward received after the action at step t. */
  rewards: ArrayLike<number>;
  /** The critic's value of the observation at step t. */
  values: ArrayLike<number>;
  /** 1 where the observation at step t is the first of a new episode (the step before ended one). */
  episodeStarts: ArrayLike<number>;
  /** Value of the observation after the last step, per env. */
  nextValues: ArrayLike<number>;
  /** 1 where the observation after the last step starts a new episode, per env. */
  nextEpisodeStarts: ArrayLike<number>;
  gamma: number;
  lambda: number;
}

/** Advantages and the value targets (advantage + value), each `numSteps * numEnvs` long. */
export function computeGae(input: GaeInput): { advantages: Float32Array; returns: Float32Array } {
  const { numSteps, numEnvs, rewards, values, episodeStarts, nextValues, nextEpisodeStarts, gamma, lambda } = input;
  const size = numSteps * numEnvs;
  for (const [name, array, length] of [
    ['rewards', rewards, size],
    ['values', values, size],
    ['episodeStarts', episodeStarts, size],
    ['nextValues', nextValues, numEnvs],
    ['nextEpisodeStarts', nextEpisodeStarts, numEnvs],
  ] as const) {
    if (array.length !== length) throw new RangeError(`computeGae: ${name} has ${array.length} entries, expected ${length}`);
  }
  const advantages = new Float32Array(size);
  const returns = new Float32Array(size);
  for (let e = 0; e < numEnvs; e++) {
    let running = 0;
    for (let t = numSteps - 1; t >= 0; t--) {
      const i = t * numEnvs + e;
      const last = t === numSteps - 1;
      // The bootstrap stops where the next observation already belongs to another episode.
      const continues = 1 - (last ? nextEpisodeStarts[e] : episodeStarts[i + numEnvs]);
      const nextValue = last ? nextValues[e] : values[i + numEnvs];
      const delta = rewards[i] + gamma * nextValue * continues - values[i];
      running = delta + gamma * lambda * continues * running;
      advantages[i] = running;
      returns[i] = running + values[i];
    }
  }
  return { advantages, returns };
}
