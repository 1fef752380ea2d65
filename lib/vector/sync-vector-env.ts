import { ArgumentError, LifecycleError } from '../errors.ts';
import { Box, type AnyBox } from '../spaces/box.ts';
import type { AnySpace } from '../spaces/space.ts';
import { Tuple } from '../spaces/tuple.ts';
import { BOX_ARRAYS, tileBound } from '../wrappers/space-utils.ts';
import { Autoresetter, checkAutoreset, type Autoreset } from './autoreset.ts';
import type { VectorResetResult, VectorStepResult } from './vector-result.ts';
import type { ActionSpaceOf, AnyEnv, ObservationOf, ObservationSpaceOf, StepActionOf } from '../wrappers/wrapper.ts';

export interface SyncVectorEnvOptions {
  /** Default `next-step`. */
  autoreset?: Autoreset;
}

/**
 * N envs stepped one after another in this thread, behind Gymnasium's vector API: batched observations in one
 * typed array, rewards and flags in typed arrays, and automatic resets (see {@link Autoreset}).
 *
 * The envs come from factories, so each is independent (each `RetroEnv` loads its own copy of the core), and
 * must all have equal observation spaces (a `Box`) and equal action spaces. `reset({ seed })` seeds env i with
 * `seed + i`. Observations are new arrays each call: `observations` is `Box [N, ...single shape]`.
 *
 * @example
 * ```ts
 * const envs = new SyncVectorEnv(Array.from({ length: 4 }, () => () => new AtariPreprocessing(make('TinyKart-Nes'))));
 * const { observations } = envs.reset({ seed: 42 });     // Uint8Array of 4 × 84 × 84
 * const { rewards, terminations, truncations } = envs.step(envs.actionSpace.sample());
 * envs.close();
 * ```
 */
export class SyncVectorEnv<E extends AnyEnv> {
  readonly envs: readonly E[];
  readonly numEnvs: number;
  readonly autoreset: Autoreset;
  readonly singleObservationSpace: ObservationSpaceOf<E>;
  readonly singleActionSpace: ActionSpaceOf<E>;
  /** `Box [N, ...single shape]` of the single space's dtype. */
  readonly observationSpace: AnyBox;
  /** One action per env: its `sample()` is an array `step()` takes. */
  readonly actionSpace: Tuple<readonly ActionSpaceOf<E>[]>;
  private readonly obsSize: number;
  private readonly autoresetter: Autoresetter;
  private readonly allIds: Uint32Array;
  private isReset = false;
  private isClosed = false;

  constructor(factories: readonly (() => E)[], options: SyncVectorEnvOptions = {}) {
    const autoreset = checkAutoreset(options.autoreset ?? 'next-step');
    if (!Array.isArray(factories) || factories.length === 0) {
      throw new ArgumentError('INVALID_ARGUMENT', 'SyncVectorEnv needs a non-empty array of env factories', { field: 'factories' });
    }
    const envs: E[] = [];
    try {
      for (const [i, factory] of factories.entries()) {
        if (typeof factory !== 'function') throw new ArgumentError('INVALID_ARGUMENT', `factories[${i}] is not a function`, { field: 'factories' });
        envs.push(factory());
      }
      checkSpaces(envs);
    } catch (e) {
      // Leave nothing half-built behind; the first error is the one worth reporting.
      for (const env of envs) {
        try {
          env.close();
        } catch {}
      }
      throw e;
    }
    const single = envs[0].observationSpace as AnyBox;
    this.envs = Object.freeze(envs);
    this.numEnvs = envs.length;
    this.autoreset = autoreset;
    this.singleObservationSpace = envs[0].observationSpace as ObservationSpaceOf<E>;
    this.singleActionSpace = envs[0].actionSpace as ActionSpaceOf<E>;
    this.observationSpace = new Box(tileBound(single.low, envs.length), tileBound(single.high, envs.length), [envs.length, ...single.shape], single.dtype);
    this.actionSpace = new Tuple(envs.map((env) => env.actionSpace as ActionSpaceOf<E>));
    this.obsSize = single.size;
    this.autoresetter = new Autoresetter(autoreset);
    this.allIds = Uint32Array.from({ length: envs.length }, (_, i) => i);
  }

  /**
   * Resets every env. `seed`: a number seeds env i with `seed + i`; an array gives one seed per env (undefined for
   * none). `options` go to every env.
   */
  reset(args: { seed?: number | readonly (number | undefined)[]; options?: Record<string, unknown> } = {}): VectorResetResult<ObservationOf<E>> {
    this.check(false);
    const seeds = this.seeds(args.seed);
    const observations = this.batch();
    const infos: Record<string, number>[] = [];
    this.envs.forEach((env, i) => {
      const { observation, info } = env.reset({ seed: seeds[i], options: args.options });
      this.put(observations, i, observation);
      infos.push(info);
    });
    this.autoresetter.forget();
    this.isReset = true;
    return { envIds: this.allIds.slice(), observations, infos };
  }

  /**
   * Steps every env with its action (`actions[i]` for env i), resetting envs whose episode ended as the mode says.
   * Every action is checked against its env's action space before any env moves (except those about to be reset
   * in `next-step` mode, whose actions are ignored).
   */
  step(actions: ArrayLike<StepActionOf<E>>): VectorStepResult<ObservationOf<E>> {
    this.check(true);
    if (actions === null || typeof actions !== 'object' || actions.length !== this.numEnvs) {
      throw new ArgumentError('INVALID_ACTION', `step() needs one action per env (${this.numEnvs}), got ${describeLength(actions)}`);
    }
    const n = this.numEnvs;
    // Checked up front, so a bad action leaves every env where it was rather than half the batch stepped.
    for (let i = 0; i < n; i++) {
      if (!this.autoresetter.resetsNext(i) && !this.envs[i].actionSpace.contains(actions[i])) {
        throw new ArgumentError('INVALID_ACTION', `actions[${i}] is not in env ${i}'s action space ${this.envs[i].actionSpace.toString()}`, { index: i });
      }
    }
    const observations = this.batch();
    const rewards = new Float64Array(n);
    const terminations = new Uint8Array(n);
    const truncations = new Uint8Array(n);
    const infos: Record<string, number>[] = [];
    const sameStep = this.autoreset === 'same-step';
    const finalObservation: (ObservationOf<E> | null)[] | undefined = sameStep ? [] : undefined;
    const finalInfo: (Record<string, number> | null)[] | undefined = sameStep ? [] : undefined;
    for (let i = 0; i < n; i++) {
      const env = this.envs[i];
      const { step, reset } = this.autoresetter.run(i, {
        step: () => env.step(actions[i]),
        reset: () => env.reset(),
        // A copy: the reset may rewrite the buffer a RetroEnv observation views.
        keepFinal: (last) => {
          finalObservation![i] = (last.observation as Uint8Array).slice() as ObservationOf<E>;
          finalInfo![i] = last.info;
        },
      });
      if (step) {
        rewards[i] = step.reward;
        terminations[i] = step.terminated ? 1 : 0;
        truncations[i] = step.truncated ? 1 : 0;
      }
      const shown = reset ?? step!;
      this.put(observations, i, shown.observation);
      infos.push(shown.info);
      if (sameStep && !(step && reset)) {
        finalObservation![i] = null;
        finalInfo![i] = null;
      }
    }
    const result: VectorStepResult<ObservationOf<E>> = { envIds: this.allIds.slice(), observations, rewards, terminations, truncations, infos };
    if (sameStep) {
      result.finalObservation = finalObservation;
      result.finalInfo = finalInfo;
    }
    return result;
  }

  /** Each env's current frame. */
  render(): Uint8Array[] {
    this.check(false);
    return this.envs.map((env) => env.render());
  }

  /** Closes every env; further calls other than `close()` throw ENV_CLOSED. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const env of this.envs) env.close();
  }

  get closed(): boolean {
    return this.isClosed;
  }

  private check(needsReset: boolean): void {
    if (this.isClosed) throw new LifecycleError('ENV_CLOSED', 'the vector env is closed');
    if (needsReset && !this.isReset) throw new LifecycleError('ENV_NOT_RESET', 'call reset() before step()');
  }

  private seeds(seed: number | readonly (number | undefined)[] | undefined): (number | undefined)[] {
    if (seed === undefined) return new Array(this.numEnvs).fill(undefined);
    if (typeof seed === 'number') {
      if (!Number.isSafeInteger(seed) || !Number.isSafeInteger(seed + this.numEnvs - 1)) {
        throw new ArgumentError('INVALID_ARGUMENT', `seed must be a safe integer, got ${seed}`, { field: 'seed' });
      }
      return Array.from({ length: this.numEnvs }, (_, i) => seed + i);
    }
    if (!Array.isArray(seed) || seed.length !== this.numEnvs) {
      throw new ArgumentError('INVALID_ARGUMENT', `seed must be a number or an array of ${this.numEnvs} seeds`, { field: 'seed' });
    }
    return [...seed];
  }

  private batch(): ObservationOf<E> {
    return new BOX_ARRAYS[this.observationSpace.dtype](this.numEnvs * this.obsSize) as ObservationOf<E>;
  }

  private put(batch: ObservationOf<E>, i: number, observation: ArrayLike<number>): void {
    if (observation?.length !== this.obsSize) {
      throw new ArgumentError('INVALID_ARGUMENT', `env ${i} returned an observation of ${String(observation?.length)} elements, expected ${this.obsSize}`);
    }
    (batch as Uint8Array).set(observation, i * this.obsSize);
  }
}

function checkSpaces(envs: readonly AnyEnv[]): void {
  const obs: AnySpace = envs[0].observationSpace;
  if (!(obs instanceof Box)) {
    throw new ArgumentError('INVALID_ARGUMENT', `SyncVectorEnv needs Box observation spaces, got ${obs.toString()}`, { field: 'observationSpace' });
  }
  envs.forEach((env, i) => {
    if (!env.observationSpace.equals(obs)) {
      throw new ArgumentError('INVALID_ARGUMENT', `env ${i} has observation space ${env.observationSpace.toString()}, env 0 has ${obs.toString()}`, { field: 'observationSpace' });
    }
    if (!env.actionSpace.equals(envs[0].actionSpace)) {
      throw new ArgumentError('INVALID_ARGUMENT', `env ${i} has action space ${env.actionSpace.toString()}, env 0 has ${envs[0].actionSpace.toString()}`, { field: 'actionSpace' });
    }
  });
}

function describeLength(actions: unknown): string {
  const length = (actions as { length?: unknown } | null)?.length;
  return typeof length === 'number' ? `${length} actions` : String(actions);
}
