/**
 * One rollout's worth of experience, step-major (`t * numEnvs + e`), in preallocated typed arrays that every
 * rollout reuses.
 */
export class RolloutBuffer {
  readonly observations: Float32Array | Uint8Array;
  readonly actions: Int32Array;
  readonly logProbs: Float32Array;
  readonly values: Float32Array;
  readonly rewards: Float32Array;
  readonly episodeStarts: Float32Array;

  constructor(
    readonly numSteps: number,
    readonly numEnvs: number,
    readonly observationSize: number,
    readonly actionDims: number,
    observationType: 'float32' | 'uint8',
  ) {
    const size = numSteps * numEnvs;
    this.observations = observationType === 'float32' ? new Float32Array(size * observationSize) : new Uint8Array(size * observationSize);
    this.actions = new Int32Array(size * actionDims);
    this.logProbs = new Float32Array(size);
    this.values = new Float32Array(size);
    this.rewards = new Float32Array(size);
    this.episodeStarts = new Float32Array(size);
  }

  get size(): number {
    return this.numSteps * this.numEnvs;
  }

  /** Stores step `t` of every env. */
  record(
    t: number,
    step: {
      observations: Float32Array | Uint8Array;
      episodeStarts: ArrayLike<number>;
      actions: Int32Array;
      logProbs: ArrayLike<number>;
      values: ArrayLike<number>;
    },
  ): void {
    const n = this.numEnvs;
    this.observations.set(step.observations.subarray(0, n * this.observationSize), t * n * this.observationSize);
    this.actions.set(step.actions.subarray(0, n * this.actionDims), t * n * this.actionDims);
    for (let e = 0; e < n; e++) {
      this.logProbs[t * n + e] = step.logProbs[e];
      this.values[t * n + e] = step.values[e];
      this.episodeStarts[t * n + e] = step.episodeStarts[e];
    }
  }

  /** Copies the listed samples' observations into `out` (rows back to back). */
  gatherObservations<T extends Float32Array | Uint8Array>(indices: ArrayLike<number>, out: T): T {
    const size = this.observationSize;
    for (let i = 0; i < indices.length; i++) out.set(this.observations.subarray(indices[i] * size, (indices[i] + 1) * size), i * size);
    return out;
  }
}
