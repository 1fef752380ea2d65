import type { VectorStepResult } from './vector-result.ts';

/** BatchEnv's result buffers: one slot per env, written by the engines. */
export interface BatchBuffers {
  observations: Uint8Array;
  values: Float64Array;
  rewards: Float64Array;
  terminations: Uint8Array;
  truncations: Uint8Array;
  finalObservations: Uint8Array | undefined;
  finalValues: Float64Array | undefined;
  hasFinal: Uint8Array | undefined;
}

/** How big each env's slot is. */
export interface SlotLayout {
  frameBytes: number;
  players: number;
  variableNames: readonly string[];
}

/** Reads a {@link VectorStepResult} for some envs out of the batch buffers, copying as little as it can. */
export class BatchResults {
  constructor(
    private readonly buffers: BatchBuffers,
    private readonly layout: SlotLayout,
  ) {}

  read(envIds: Uint32Array): VectorStepResult {
    const { rewards: allRewards, terminations: allTerminations, truncations: allTruncations, values, hasFinal } = this.buffers;
    const { players } = this.layout;
    const n = envIds.length;
    const rewards = new Float64Array(n);
    const terminations = new Uint8Array(n);
    const truncations = new Uint8Array(n);
    const infos: Record<string, number>[] = [];
    envIds.forEach((id, i) => {
      rewards[i] = allRewards[id * players];
      terminations[i] = allTerminations[id];
      truncations[i] = allTruncations[id];
      infos.push(this.info(values, id));
    });
    const result: VectorStepResult = { envIds, observations: this.gather(envIds), rewards, terminations, truncations, infos };
    if (hasFinal) {
      const { finalObservations, finalValues } = this.buffers;
      result.finalObservation = Array.from(envIds, (id) => (hasFinal[id] ? this.frame(finalObservations!, id) : null));
      result.finalInfo = Array.from(envIds, (id) => (hasFinal[id] ? this.info(finalValues!, id) : null));
    }
    return result;
  }

  /**
   * Before a same-step reset done outside the engine: copies each env's observation and values to the final
   * buffers, and returns its rewards, which the reset overwrites.
   */
  keepFinal(ids: Uint32Array): Float64Array[] {
    const { observations, values, rewards, finalObservations, finalValues } = this.buffers;
    const { frameBytes, players } = this.layout;
    const vars = this.layout.variableNames.length;
    for (const id of ids) {
      finalObservations!.set(this.frame(observations, id), id * frameBytes);
      finalValues!.set(values.subarray(id * vars, (id + 1) * vars), id * vars);
    }
    return Array.from(ids, (id) => rewards.slice(id * players, (id + 1) * players));
  }

  /** After that reset: the step keeps its reward and shows its final observation, as after a termination. */
  restoreFinal(ids: Uint32Array, rewards: Float64Array[]): void {
    ids.forEach((id, i) => {
      this.buffers.hasFinal![id] = 1;
      this.buffers.rewards.set(rewards[i], id * this.layout.players);
    });
  }

  /** Env `id`'s slot of an observation buffer. */
  private frame(buffer: Uint8Array, id: number): Uint8Array {
    const { frameBytes } = this.layout;
    return buffer.subarray(id * frameBytes, (id + 1) * frameBytes);
  }

  private info(values: Float64Array, id: number): Record<string, number> {
    const names = this.layout.variableNames;
    const vars = names.length;
    const info: Record<string, number> = {};
    for (let v = 0; v < vars; v++) info[names[v]] = values[id * vars + v];
    return info;
  }

  /**
   * The observations of `envIds`, back to back: a view of the batch buffer when the ids are consecutive (always for
   * step() and reset()), so no frame is copied; a copy otherwise.
   */
  private gather(envIds: Uint32Array): Uint8Array {
    const { observations } = this.buffers;
    const { frameBytes } = this.layout;
    const first = envIds[0];
    if (envIds.every((id, i) => id === first + i)) return observations.subarray(first * frameBytes, (first + envIds.length) * frameBytes);
    const out = new Uint8Array(envIds.length * frameBytes);
    envIds.forEach((id, i) => out.set(this.frame(observations, id), i * frameBytes));
    return out;
  }
}
