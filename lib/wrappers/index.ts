/**
 * Wrappers: small envs around an env, each changing one thing, composable in any order that makes sense
 * (`new FrameStack(new AtariPreprocessing(make(game)), { n: 4 })`). Pixel work runs in the native kernels.
 */
export {
  Wrapper,
  ObservationWrapper,
  ActionWrapper,
  RewardWrapper,
  type AnyEnv,
  type ResetArgs,
  type ObservationOf,
  type StepActionOf,
  type ObservationSpaceOf,
  type ActionSpaceOf,
  type UnwrappedOf,
  type WrapperSpaces,
} from './wrapper.ts';
export { GrayScale, type GrayScaleOptions } from './gray-scale.ts';
export { Resize, type ResizeOptions } from './resize.ts';
export { MaxAndSkip, type MaxAndSkipOptions } from './max-and-skip.ts';
export { FrameStack, type FrameStackOptions, type FramePadding } from './frame-stack.ts';
export { NoopReset, type NoopResetOptions } from './noop-reset.ts';
export { StickyActions, type StickyActionsOptions } from './sticky-actions.ts';
export { TimeLimit, type TimeLimitOptions } from './time-limit.ts';
export { ClipReward, type RewardClip } from './clip-reward.ts';
export { Discretizer, type ButtonCombos, type StickCombo } from './discretizer.ts';
export { ContinuousPad } from './continuous-pad.ts';
export { RecordEpisodeStatistics, type RecordEpisodeStatisticsOptions } from './record-episode-statistics.ts';
export { AtariPreprocessing, makeAtari, type AtariPreprocessingOptions } from './atari-preprocessing.ts';
export type { AtariRoute, AtariRouteKind } from './atari-route.ts';
