/** The native fast path a bare RetroEnv offers AtariPreprocessing, kept off RetroEnv's public surface. */

import type { Action } from './action-decoder.ts';
import type { Preprocess, StepResult } from './make-options.ts';

/** A step without its observation: what a wrapper that takes its observations elsewhere needs. */
export type StepOutcome = Omit<StepResult, 'observation'>;

/**
 * The native fast path of an env, for AtariPreprocessing: preprocessing every shown frame into a buffer of its
 * own, and steps of any number of frames that make no observation. Not part of RetroEnv's public surface.
 */
export interface NativeFastPath {
  /** Why `preprocess()` cannot serve (RAM observations, a crop, an own `preprocess`, one attached already), if so. */
  whyNotPreprocess(): string | undefined;
  preprocess(p: Preprocess): Uint8Array;
  stepFrames(action: Action, frames: number, maxPool: boolean): StepOutcome;
}

const fastPaths = new WeakMap<object, NativeFastPath>();

/** Called by RetroEnv's constructor for itself. */
export function registerFastPath(env: object, fastPath: NativeFastPath): void {
  fastPaths.set(env, fastPath);
}

/** The fast path of a bare RetroEnv; undefined for anything else (a wrapper, another env). */
export function nativeFastPath(env: unknown): NativeFastPath | undefined {
  return typeof env === 'object' && env !== null ? fastPaths.get(env) : undefined;
}
