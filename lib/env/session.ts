import type { Emulator } from '../emulator.ts';
import { IntegrationError, ScriptError } from '../errors.ts';
import { callNative, fromNative, isNativeError, nativeAddon, type NativeObservationSpec, type NativeScenarioConfig, type NativeSession } from '../native.ts';
import { unmappedVariableError } from './unmapped-variable.ts';

/** The files a session's configuration was read from, named by errors found while the addon parses it. */
export interface SessionFiles {
  scenario: string;
  data: string;
}

/**
 * One game played for reward: the native session over an emulator, the arrays it writes its results into, and
 * the decoding of those into `info`. RetroEnv, BatchEnv and boot recipes all hold their sessions through this.
 * Every method rethrows the addon's errors as typed errors.
 */
export class Session {
  readonly native: NativeSession;
  readonly variableNames: readonly string[];
  /** The RAM variables after the last call, in `variableNames` order. */
  readonly values: Float64Array;
  /** Each player's reward of the last step. */
  readonly rewards: Float64Array;
  private readonly doneOut = new Uint8Array(1);

  constructor(emulator: Emulator, config: NativeScenarioConfig, files: SessionFiles) {
    const players = Math.max(1, config.rewards.length);
    try {
      this.native = new (nativeAddon().NativeSession)(emulator.nativeHandle, config);
    } catch (e) {
      throw parseError(e, files);
    }
    this.variableNames = config.variables.map((v) => v.name);
    this.values = new Float64Array(this.variableNames.length);
    this.rewards = new Float64Array(players);
    this.native.bindOutputs(this.values, this.rewards, this.doneOut);
  }

  /** Whether the last step (or, for JSON rules, the start state) ended the episode. */
  get done(): boolean {
    return this.doneOut[0] === 1;
  }

  /** The RAM variables by name. */
  info(): Record<string, number> {
    const info: Record<string, number> = {};
    for (let i = 0; i < this.variableNames.length; i++) info[this.variableNames[i]] = this.values[i];
    return info;
  }

  /** Loads `state`, releases the buttons and runs one frame, then starts an episode there. */
  restart(state: Uint8Array): void {
    callNative(() => this.native.restart(state));
  }

  /** Starts an episode from the emulator's current state (Lua scripts run their top level afresh). */
  reset(): void {
    callNative(() => this.native.reset());
  }

  /** `frames` frames with the held input, natively; see NativeSession.step. */
  step(frames: number, maxPool: boolean): void {
    callNative(() => this.native.step(frames, maxPool));
  }

  /** Frame `index` of a step of `frames` frames; the addon decides what the frame's picture is for. */
  stepFrame(index: number, frames: number, maxPool: boolean): void {
    callNative(() => this.native.stepFrame(index, frames, maxPool));
  }

  /** After a frame loop that stopped early: shows the frame it stopped at. */
  showLastFrame(): void {
    callNative(() => this.native.showLastFrame());
  }

  /** From now on every shown frame is preprocessed natively into the returned buffer, which each step rewrites. */
  preprocess(spec: NativeObservationSpec, bytes: number): Uint8Array {
    const out = new Uint8Array(bytes);
    callNative(() => this.native.setObservation(spec, out));
    return out;
  }

  close(): void {
    this.native.close();
  }
}

/**
 * An error of the addon while it parses a session's configuration is a fault of the files it came from: a
 * variable the core does not map is data.json's, a bad rule the scenario's, a script that fails to load names itself.
 */
function parseError(e: unknown, files: SessionFiles): unknown {
  if (!isNativeError(e)) return e;
  if (e.code === 'ADDRESS_UNMAPPED') return unmappedVariableError(e, files.data);
  if (e.code === 'SCENARIO_INVALID' || e.code === 'INVALID_ARGUMENT') {
    const code = e.code === 'SCENARIO_INVALID' ? 'SCENARIO_INVALID' : 'SCHEMA_INVALID';
    return new IntegrationError(code, `${files.scenario}: ${e.message}`, { file: files.scenario }, { cause: e });
  }
  const typed = fromNative(e);
  if (typed instanceof ScriptError) typed.details.file ??= files.scenario;
  return typed;
}
