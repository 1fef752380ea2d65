import type { AnySpace } from '../spaces/space.ts';

/** What `reset()` returns. */
export interface ResetResult<Obs> {
  observation: Obs;
  info: Record<string, number>;
}

/** What `step()` returns, with Gymnasium's meaning of `terminated` (the game ended) and `truncated` (cut short). */
export interface EnvStepResult<Obs> {
  observation: Obs;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: Record<string, number>;
}

/**
 * The Gymnasium-style contract every environment and wrapper implements. `RetroEnv` is the base one; wrappers
 * (lib/wrappers) take an `Env` and are one.
 */
export interface Env<Obs = Uint8Array, Act = unknown, ObsSpace extends AnySpace = AnySpace, ActSpace extends AnySpace = AnySpace> {
  readonly observationSpace: ObsSpace;
  readonly actionSpace: ActSpace;
  reset(args?: { seed?: number; options?: Record<string, unknown> }): ResetResult<Obs>;
  step(action: Act): EnvStepResult<Obs>;
  render(): Uint8Array;
  close(): void;
}
