import { ArgumentError } from '../errors.ts';

/**
 * When a sub-env whose episode ended starts the next one (Gymnasium 1.x's `AutoresetMode`):
 *
 * - `next-step` (default): the step that ends an episode returns its last observation with `terminations` or
 *   `truncations` set. The next step of that env resets it instead: its action is ignored, and it returns the new
 *   episode's first observation and info, with reward 0 and both flags clear.
 * - `same-step`: the env is reset within the step that ends the episode. That step returns the new episode's first
 *   observation and info with the reward and flags of the finished step; the finished episode's last observation
 *   and info are in `finalObservation[i]` / `finalInfo[i]` (null for envs that did not finish).
 */
export type Autoreset = 'next-step' | 'same-step';

/** `value` as an {@link Autoreset}, or INVALID_ARGUMENT. */
export function checkAutoreset(value: unknown): Autoreset {
  if (value === 'next-step' || value === 'same-step') return value;
  throw new ArgumentError('INVALID_ARGUMENT', `autoreset must be 'next-step' or 'same-step', got ${String(value)}`, { field: 'autoreset' });
}

/** What an env step must say for autoreset to know whether its episode ended. */
export interface EpisodeStep {
  terminated: boolean;
  truncated: boolean;
}

/** One env's turn through {@link Autoresetter.run}. */
export interface EnvTurn<S extends EpisodeStep, R> {
  step(): S;
  reset(): R;
  /** Same-step only: called with the episode's last step before the reset that may overwrite its observation. */
  keepFinal?(last: S): void;
}

/**
 * What a turn did: `step` alone (an ordinary step, or one that ended an episode in next-step mode), `reset` alone
 * (next-step: the env was reset instead of stepped; reward 0, flags clear), or both (same-step: `step` ended the
 * episode, `reset` began the next; the result shows the reset's observation with the step's reward and flags).
 */
export type TurnOutcome<S, R> = { step: S; reset?: undefined } | { step?: undefined; reset: R } | { step: S; reset: R };

/**
 * The TypeScript autoreset, shared by SyncVectorEnv and BatchEnv's worker and process engines. It follows the native
 * stepper's (`BatchStepper::runJob` in native/batch_stepper.cpp) so the engines give the same results: an episode
 * ends on terminated or truncated (native envs never truncate by themselves), and an explicit reset clears a
 * pending next-step reset.
 */
export class Autoresetter {
  private readonly episodeOver = new Set<number>();

  constructor(readonly mode: Autoreset) {}

  /** Steps env `id`, or resets it where the mode says so. */
  run<S extends EpisodeStep, R>(id: number, env: EnvTurn<S, R>): TurnOutcome<S, R> {
    if (this.episodeOver.delete(id)) return { reset: env.reset() };
    const step = env.step();
    if (!step.terminated && !step.truncated) return { step };
    if (this.mode === 'next-step') {
      this.episodeOver.add(id);
      return { step };
    }
    env.keepFinal?.(step);
    return { step, reset: env.reset() };
  }

  /** Whether env `id`'s next turn is a next-step reset (its action will be ignored). */
  resetsNext(id: number): boolean {
    return this.episodeOver.has(id);
  }

  /** Env `id` was reset from outside (or all envs, without an id): no reset is pending for it any more. */
  forget(id?: number): void {
    if (id === undefined) this.episodeOver.clear();
    else this.episodeOver.delete(id);
  }
}
