/**
 * Movies: every frame's buttons from a start state, in stable-retro's and BizHawk's `.bk2` format. Read one with
 * `Movie.open`, write one with `writeMovie`, record every episode of an env with `RecordMovie`, and play one back
 * with `makeReplayEnv` + `replayMovie` (or `retro playback`).
 */
export { Movie, writeMovie, encodeMovie, type MovieContents } from './movie.ts';
export { RecordMovie, type RecordMovieOptions } from './record-movie.ts';
export { makeReplayEnv, replayMovie, type ReplayedFrame } from './replay.ts';
