/**
 * Running statistics for observation and reward normalisation, as Gymnasium's `NormalizeObservation` and
 * `NormalizeReward` keep them: a running mean and variance merged batch by batch (Chan et al.'s parallel update),
 * starting from a tiny pseudo-count so the first batch dominates.
 */

export interface RunningMeanStdState {
  mean: number[];
  variance: number[];
  count: number;
}

export class RunningMeanStd {
  readonly mean: Float64Array;
  readonly variance: Float64Array;
  count = 1e-4;

  constructor(readonly size: number) {
    this.mean = new Float64Array(size);
    this.variance = new Float64Array(size).fill(1);
  }

  /** Merges `rows` rows of `size` values each (row-major in `batch`). */
  update(batch: ArrayLike<number>, rows: number): void {
    const n = this.size;
    if (batch.length < rows * n) throw new RangeError(`RunningMeanStd.update: ${batch.length} values for ${rows} rows of ${n}`);
    if (rows === 0) return;
    const total = this.count + rows;
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += batch[r * n + j];
      const batchMean = sum / rows;
      let squares = 0;
      for (let r = 0; r < rows; r++) squares += (batch[r * n + j] - batchMean) ** 2;
      const batchVar = squares / rows;
      const delta = batchMean - this.mean[j];
      const m2 = this.variance[j] * this.count + batchVar * rows + (delta * delta * this.count * rows) / total;
      this.mean[j] += (delta * rows) / total;
      this.variance[j] = m2 / total;
    }
    this.count = total;
  }

  get state(): RunningMeanStdState {
    return { mean: Array.from(this.mean), variance: Array.from(this.variance), count: this.count };
  }

  setState(state: RunningMeanStdState): void {
    if (state.mean.length !== this.size || state.variance.length !== this.size) {
      throw new RangeError(`running statistics of size ${state.mean.length}, expected ${this.size}`);
    }
    this.mean.set(state.mean);
    this.variance.set(state.variance);
    this.count = state.count;
  }
}

const EPSILON = 1e-8;

/** Scales observations to zero mean and unit variance per feature, clipped to ±clip. */
export class ObservationNormalizer {
  readonly stats: RunningMeanStd;

  constructor(size: number, readonly clip = 10) {
    this.stats = new RunningMeanStd(size);
  }

  /** Normalises `rows` rows in place (after learning from them when `learn` is true). */
  normalize(rows: Float32Array, count: number, learn: boolean): void {
    if (learn) this.stats.update(rows, count);
    const { mean, variance, size } = this.stats;
    for (let r = 0; r < count; r++) {
      for (let j = 0; j < size; j++) {
        const z = (rows[r * size + j] - mean[j]) / Math.sqrt(variance[j] + EPSILON);
        rows[r * size + j] = Math.max(-this.clip, Math.min(this.clip, z));
      }
    }
  }
}

/**
 * Divides rewards by the running standard deviation of each env's discounted return, so the critic sees targets
 * of a similar scale whatever the game pays; the mean is not removed (that would change which policy is best).
 */
export class RewardNormalizer {
  readonly stats = new RunningMeanStd(1);
  private readonly discounted: Float64Array;

  constructor(numEnvs: number, readonly gamma: number, readonly clip = 10) {
    this.discounted = new Float64Array(numEnvs);
  }

  /** Returns the scaled rewards of one step of every env; `ended[e]` = 1 where that step ended env e's episode. */
  normalize(rewards: ArrayLike<number>, ended: ArrayLike<number>, learn = true): Float32Array {
    const n = this.discounted.length;
    if (learn) {
      for (let e = 0; e < n; e++) this.discounted[e] = this.discounted[e] * this.gamma + rewards[e];
      this.stats.update(this.discounted, n);
    }
    const scale = Math.sqrt(this.stats.variance[0] + EPSILON);
    const out = new Float32Array(n);
    for (let e = 0; e < n; e++) {
      out[e] = Math.max(-this.clip, Math.min(this.clip, rewards[e] / scale));
      if (ended[e]) this.discounted[e] = 0;
    }
    return out;
  }
}
