/**
 * Which way AtariPreprocessing gets its observations, decided once, here, when it is made: from the env's
 * options and the wrapper's, never from what a step happens to return.
 */

import { nativeFastPath, type NativeFastPath } from '../env/native-fast-path.ts';
import type { Preprocess } from '../env/make-options.ts';
import { ArgumentError } from '../errors.ts';
import type { Interpolation } from '../frame-ops.ts';

/**
 * - `native`: the base env is a bare RetroEnv, and one native step runs the frames, grays, pools and resizes.
 * - `env-preprocessed`: the base env was made with a matching `preprocess`, so it grays and resizes; TS wrappers
 *   add the no-op starts and (unless the env skips itself) the frame skip.
 * - `ts-wrappers`: `NoopReset`, `GrayScale`, `MaxAndSkip` and `Resize` composed in TS.
 */
export type AtariRouteKind = 'native' | 'env-preprocessed' | 'ts-wrappers';

export interface AtariRoute {
  readonly kind: AtariRouteKind;
  /** Why this route, in words: for a `native` route what it does, for the others what keeps it from `native`. */
  readonly reason: string;
  /** The base env skips `frameSkip` frames and max-pools the last two itself (`{ frameskip, maxPool: true }`). */
  readonly envSkips: boolean;
  /** With `native`: the env's fast path. */
  readonly fastPath?: NativeFastPath;
}

/** The wrapper's settings that the route depends on. */
export interface AtariSettings {
  frameSkip: number;
  width: number;
  height: number;
  grayscale: boolean;
  grayscaleNewaxis: boolean;
  interpolation: Interpolation;
}

/** The env options AtariPreprocessing reads from its base env (`env.unwrapped`). */
interface BaseEnvOptions {
  frameskip?: unknown;
  maxPool?: unknown;
  preprocess?: Preprocess;
}

/** The largest side the native resize takes. */
const MAX_NATIVE_SIDE = 4096;

/**
 * The route for `env` with these settings. Throws `ArgumentError` for a base env that cannot serve them at all: one
 * that skips frames in another way, or preprocesses its observations differently.
 */
export function chooseAtariRoute(env: unknown, settings: AtariSettings): AtariRoute {
  const base = ((env as { unwrapped?: unknown }).unwrapped ?? env) as BaseEnvOptions;
  const envSkips = checkFrameSkip(base, settings.frameSkip);
  const envPreprocesses = checkPreprocess(base.preprocess, settings);
  const fastPath = nativeFastPath(env);
  const blocker = settingsBlocker(settings) ?? (fastPath ? envBlocker(base, envSkips, fastPath) : 'the base env is not a bare RetroEnv (a wrapper hides it, or it is another kind of env)');
  if (blocker === undefined && fastPath) {
    const skips = envSkips ? 'the env skips and pools frames itself; ' : '';
    return { kind: 'native', reason: `${skips}each step grays, pools and resizes natively`, envSkips, fastPath };
  }
  if (envPreprocesses) return { kind: 'env-preprocessed', reason: `the base env grays and resizes itself (its preprocess); not native: ${blocker}`, envSkips };
  return { kind: 'ts-wrappers', reason: blocker ?? 'no native path', envSkips };
}

/** Whether the base env skips and pools `frameSkip` frames itself; throws for one that skips otherwise. */
function checkFrameSkip(base: BaseEnvOptions, frameSkip: number): boolean {
  // A RetroEnv made with { frameskip, maxPool: true } already skips and pools natively, which is much faster.
  const envSkips = frameSkip > 1 && base.frameskip === frameSkip && base.maxPool === true;
  if (frameSkip > 1 && !envSkips && typeof base.frameskip === 'number' && base.frameskip > 1) {
    throw new ArgumentError('INVALID_ARGUMENT', `the base env already skips ${base.frameskip} frames per step; make it with frameskip: 1 to use frameSkip ${frameSkip}`, {
      field: 'frameSkip',
    });
  }
  return envSkips;
}

/** Whether the base env's own preprocess gives these settings' observations; throws for one that differs. */
function checkPreprocess(p: Preprocess | undefined, s: AtariSettings): boolean {
  if (p === undefined) return false;
  const matches = (p.grayscale ?? false) === s.grayscale && p.width === s.width && p.height === s.height && s.interpolation === 'area' && !s.grayscaleNewaxis;
  if (!matches) throw new ArgumentError('INVALID_ARGUMENT', 'the base env preprocesses its observations differently; make it without preprocess', { field: 'preprocess' });
  return true;
}

/** What in the wrapper's settings keeps the native path out, if anything. */
function settingsBlocker(s: AtariSettings): string | undefined {
  if (s.interpolation !== 'area') return `${s.interpolation} resizing (the native resize averages areas)`;
  if (s.grayscaleNewaxis) return 'grayscaleNewaxis';
  if (Math.max(s.width, s.height) > MAX_NATIVE_SIDE) return `a screenSize side over ${MAX_NATIVE_SIDE}`;
  return undefined;
}

/** What in a bare RetroEnv keeps the native path out, if anything. */
function envBlocker(base: BaseEnvOptions, envSkips: boolean, fastPath: NativeFastPath): string | undefined {
  if (base.frameskip !== 1 && !envSkips) return `the base env skips ${String(base.frameskip)} frames per step itself`;
  return fastPath.whyNotPreprocess();
}
