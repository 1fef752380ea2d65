/**
 * Gymnasium-style spaces: what actions and observations look like, how to sample them, how to check them.
 */
export { Space } from './space.ts';
export type { AnySpace, BinaryMask, Dtype, JSONBound, MaskOf, SampleOf, SpaceJSON } from './space.ts';
export { Discrete } from './discrete.ts';
export { MultiBinary } from './multi-binary.ts';
export type { MultiBinaryMask } from './multi-binary.ts';
export { MultiDiscrete } from './multi-discrete.ts';
export { Box } from './box.ts';
export type { AnyBox, BoxArray, BoxDtype } from './box.ts';
export { Tuple } from './tuple.ts';
export type { TupleMask, TupleSample } from './tuple.ts';
export { Dict } from './dict.ts';
export type { DictMask, DictSample, SpaceRecord } from './dict.ts';
export { spaceFromJSON } from './json.ts';
