/**
 * What the vector envs (SyncVectorEnv and BatchEnv) return, under Gymnasium's vector names. `Obs` is the array type
 * of one observation; a batch of them is one array of the same type, observations back to back.
 */
export interface VectorResetResult<Obs = Uint8Array> {
  /** The envs this result covers, in the order of the other fields: all of them, except for BatchEnv's `recv()`. */
  envIds: Uint32Array;
  /** One observation per env, back to back in one array (`envIds.length` × the size of one observation). */
  observations: Obs;
  infos: Record<string, number>[];
}

export interface VectorStepResult<Obs = Uint8Array> extends VectorResetResult<Obs> {
  rewards: Float64Array;
  /** 1 where the env's episode terminated in this step (the game ended it). */
  terminations: Uint8Array;
  /** 1 where the env's episode was truncated in this step (a time limit cut it). */
  truncations: Uint8Array;
  /** `same-step` autoreset only: the last observation of each episode that ended in this step, else null. */
  finalObservation?: (Obs | null)[];
  /** `same-step` autoreset only: the last info of each episode that ended in this step, else null. */
  finalInfo?: (Record<string, number> | null)[];
}
